/* env - print the environment, one NAME=VALUE per line.
 *
 * Usage: env [-i] [-0] [-u NAME]... [NAME=VALUE]...
 *   -i        start from an empty environment
 *   -0        end each line with NUL instead of newline
 *   -u NAME   remove NAME from the environment
 *   NAME=VALUE set NAME before printing
 * Running a COMMAND is not supported (WASI has no exec); a non-assignment
 * operand is reported as an error with exit status 125 (WASI runtimes such
 * as wasmtime reject proc_exit codes >= 126).
 */
#include "common.h"

extern char **environ;

int main(int argc, char **argv)
{
    int i = 1, eol = '\n';

    prog = "env";
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0) { i++; break; }
        if (strcmp(a, "-") == 0 || strcmp(a, "-i") == 0) {
            clearenv();
        } else if (strcmp(a, "-0") == 0) {
            eol = '\0';
        } else if (strcmp(a, "-u") == 0) {
            if (++i >= argc) {
                err_msg("option requires an argument -- 'u'");
                return 125;
            }
            unsetenv(argv[i]);
        } else if (strncmp(a, "-u", 2) == 0) {
            unsetenv(a + 2);
        } else if (a[0] == '-') {
            err_msg("invalid option -- '%s'", a + 1);
            return 125;
        } else {
            break;
        }
    }
    for (; i < argc; i++) {
        char *eq = strchr(argv[i], '=');
        if (!eq || eq == argv[i]) {
            err_msg("'%s': running commands is not supported", argv[i]);
            return 125;
        }
        *eq = '\0';
        if (setenv(argv[i], eq + 1, 1) != 0) {
            *eq = '=';
            err_errno("cannot set '%s'", argv[i]);
            return 125;
        }
    }
    for (char **e = environ; e && *e; e++) {
        fputs(*e, stdout);
        putchar(eol);
    }
    return finish(0);
}
