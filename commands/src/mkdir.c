/* mkdir - make directories.
 *
 * Usage: mkdir [-p] [-v] [-m MODE] DIR...
 *   -p  no error if existing, make parent directories as needed
 *   -v  print a message for each created directory
 *   -m  accepted and ignored (WASI has no permission bits)
 */
#include "common.h"
#include <sys/stat.h>

static int verbose;

static int make(const char *path, int parents)
{
    if (!parents) {
        if (mkdir(path, 0777) != 0) {
            err_errno("cannot create directory '%s'", path);
            return -1;
        }
        if (verbose)
            printf("mkdir: created directory '%s'\n", path);
        return 0;
    }
    /* -p: create each prefix in turn, ignoring ones that already exist. */
    char *p = strdup(path);
    if (!p) {
        err_errno("out of memory");
        return -1;
    }
    size_t len = strlen(p);
    for (size_t i = 1; i <= len; i++) {
        if (p[i] != '/' && p[i] != '\0')
            continue;
        if (p[i - 1] == '/')  /* collapse "a//b" and skip trailing '/' */
            continue;
        char saved = p[i];
        p[i] = '\0';
        struct stat st;
        if (mkdir(p, 0777) == 0) {
            if (verbose)
                printf("mkdir: created directory '%s'\n", p);
        } else if (errno != EEXIST || stat(p, &st) != 0 || !S_ISDIR(st.st_mode)) {
            if (errno == EEXIST)
                errno = ENOTDIR;
            err_errno("cannot create directory '%s'", p);
            free(p);
            return -1;
        }
        p[i] = saved;
    }
    free(p);
    return 0;
}

int main(int argc, char **argv)
{
    int parents = 0, status = 0, i = 1;

    prog = "mkdir";
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0) { i++; break; }
        if (a[0] != '-' || a[1] == '\0') break;
        for (a++; *a; a++) {
            if (*a == 'p') parents = 1;
            else if (*a == 'v') verbose = 1;
            else if (*a == 'm') {
                if (!a[1] && ++i >= argc) {
                    err_msg("option requires an argument -- 'm'");
                    return 1;
                }
                break;
            } else {
                err_msg("invalid option -- '%c'", *a);
                return 1;
            }
        }
    }
    if (i >= argc) {
        err_msg("missing operand");
        return 1;
    }
    for (; i < argc; i++)
        if (make(argv[i], parents) < 0)
            status = 1;
    return finish(status);
}
