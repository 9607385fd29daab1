/* pwd - print the current working directory.
 *
 * Usage: pwd [-L|-P]   (both accepted; WASI has no symlinked cwd distinction)
 * In wasi-libc the cwd is emulated inside the module and starts as "/"
 * (or whatever the host arranged); chdir() inside one process updates it.
 */
#include "common.h"
#include <limits.h>

int main(int argc, char **argv)
{
    char buf[PATH_MAX];

    prog = "pwd";
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-L") != 0 && strcmp(argv[i], "-P") != 0) {
            err_msg("invalid option -- '%s'", argv[i]);
            return 1;
        }
    }
    if (!getcwd(buf, sizeof buf)) {
        err_errno("error retrieving current directory");
        return 1;
    }
    puts(buf);
    return finish(0);
}
