/* cat - concatenate files to standard output.
 *
 * Usage: cat [-u] [FILE...]
 * With no FILE, or when FILE is "-", reads standard input. Data is streamed
 * through a 64 KiB buffer: each chunk is written as soon as it is read.
 * -u is accepted and ignored (output is never buffered).
 */
#include "common.h"
#include <fcntl.h>

static char buf[64 * 1024];

/* Copy fd to stdout; returns 0 on success, -1 (message printed) on error. */
static int copy(int fd, const char *name)
{
    for (;;) {
        ssize_t n = read_some(fd, buf, sizeof buf);
        if (n == 0)
            return 0;
        if (n < 0) {
            err_errno("%s", name);
            return -1;
        }
        if (write_all(STDOUT_FILENO, buf, (size_t)n) < 0) {
            err_errno("write error");
            exit(1);
        }
    }
}

int main(int argc, char **argv)
{
    int status = 0, i = 1, nfiles = 0;

    prog = "cat";
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0) { i++; break; }
        if (a[0] != '-' || a[1] == '\0') break;
        if (strcmp(a, "-u") != 0) {
            err_msg("invalid option -- '%s'", a + 1);
            return 1;
        }
    }
    for (; i < argc; i++, nfiles++) {
        const char *name = argv[i];
        if (strcmp(name, "-") == 0) {
            if (copy(STDIN_FILENO, "-") < 0)
                status = 1;
            continue;
        }
        int fd = open(name, O_RDONLY);
        if (fd < 0) {
            err_errno("%s", name);
            status = 1;
            continue;
        }
        if (copy(fd, name) < 0)
            status = 1;
        close(fd);
    }
    if (nfiles == 0 && copy(STDIN_FILENO, "-") < 0)
        status = 1;
    return status;
}
