/* touch - create files or update their modification time to now.
 *
 * Usage: touch [-c] [-a] [-m] FILE...
 *   -c  do not create missing files
 *   -a / -m  accepted; both times are always set
 * A missing FILE is created empty (open O_CREAT), an existing one gets its
 * access and modification times set to the current time.
 * The time is read with clock_gettime and passed explicitly: utimensat(...,
 * NULL) / UTIME_NOW are unreliable through wasi-libc (the bookworm build
 * sets the times to 0 under wasmtime, cf. bytecodealliance/wasmtime#4184).
 */
#include "common.h"
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>

int main(int argc, char **argv)
{
    int i = 1, nocreate = 0, status = 0;

    prog = "touch";
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0) { i++; break; }
        if (a[0] != '-' || a[1] == '\0') break;
        for (a++; *a; a++) {
            if (*a == 'c') nocreate = 1;
            else if (*a == 'a' || *a == 'm') continue;
            else {
                err_msg("invalid option -- '%c'", *a);
                return 1;
            }
        }
    }
    if (i >= argc) {
        err_msg("missing file operand");
        return 1;
    }
    for (; i < argc; i++) {
        const char *p = argv[i];
        struct timespec now[2];
        clock_gettime(CLOCK_REALTIME, &now[0]);
        now[1] = now[0];
        if (utimensat(AT_FDCWD, p, now, 0) == 0)
            continue;
        if (errno == ENOENT && nocreate)
            continue;
        if (errno == ENOENT) {
            int fd = open(p, O_WRONLY | O_CREAT, 0666);
            if (fd >= 0) {
                close(fd);
                continue;
            }
        }
        err_errno("cannot touch '%s'", p);
        status = 1;
    }
    return status;
}
