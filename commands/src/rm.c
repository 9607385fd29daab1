/* rm - remove files or directories.
 *
 * Usage: rm [-r|-R] [-f] [-d] [-v] PATH...
 *   -r, -R  remove directories and their contents recursively
 *   -f      ignore nonexistent files, never fail on a missing operand
 *   -d      remove empty directories
 *   -v      print each removed path
 * Refuses to remove ".", ".." and "/" (like coreutils' --preserve-root).
 * Symlinks are removed, never followed.
 */
#include "common.h"
#include <dirent.h>
#include <sys/stat.h>

static int recursive, force, emptydirs, verbose;

static int removed(const char *path, int dir)
{
    if (verbose)
        printf(dir ? "removed directory '%s'\n" : "removed '%s'\n", path);
    return 0;
}

static int remove_path(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0) {
        if (force && errno == ENOENT)
            return 0;
        err_errno("cannot remove '%s'", path);
        return -1;
    }
    if (!S_ISDIR(st.st_mode)) {
        if (unlink(path) != 0) {
            err_errno("cannot remove '%s'", path);
            return -1;
        }
        return removed(path, 0);
    }
    if (!recursive) {
        if (emptydirs) {
            if (rmdir(path) != 0) {
                err_errno("cannot remove '%s'", path);
                return -1;
            }
            return removed(path, 1);
        }
        errno = EISDIR;
        err_errno("cannot remove '%s'", path);
        return -1;
    }
    DIR *d = opendir(path);
    if (!d) {
        err_errno("cannot remove '%s'", path);
        return -1;
    }
    int rc = 0;
    struct dirent *de;
    size_t plen = strlen(path);
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        char *child = malloc(plen + strlen(de->d_name) + 2);
        if (!child) {
            err_errno("out of memory");
            closedir(d);
            return -1;
        }
        strcpy(child, path);
        if (plen == 0 || path[plen - 1] != '/')
            strcat(child, "/");
        strcat(child, de->d_name);
        if (remove_path(child) != 0)
            rc = -1;
        free(child);
    }
    closedir(d);
    if (rc != 0)
        return rc;
    if (rmdir(path) != 0) {
        err_errno("cannot remove '%s'", path);
        return -1;
    }
    return removed(path, 1);
}

/* basename without allocation, ignoring trailing slashes */
static int is_dot_or_dotdot(const char *p)
{
    size_t n = strlen(p);
    while (n > 1 && p[n - 1] == '/')
        n--;
    size_t s = n;
    while (s > 0 && p[s - 1] != '/')
        s--;
    return (n - s == 1 && p[s] == '.') || (n - s == 2 && p[s] == '.' && p[s + 1] == '.');
}

int main(int argc, char **argv)
{
    int i = 1, status = 0;

    prog = "rm";
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0) { i++; break; }
        if (a[0] != '-' || a[1] == '\0') break;
        for (a++; *a; a++) {
            if (*a == 'r' || *a == 'R') recursive = 1;
            else if (*a == 'f') force = 1;
            else if (*a == 'd') emptydirs = 1;
            else if (*a == 'v') verbose = 1;
            else {
                err_msg("invalid option -- '%c'", *a);
                return 1;
            }
        }
    }
    if (i >= argc) {
        if (force)
            return 0;
        err_msg("missing operand");
        return 1;
    }
    for (; i < argc; i++) {
        const char *p = argv[i];
        if (is_dot_or_dotdot(p)) {
            err_msg("refusing to remove '.' or '..' directory: skipping '%s'", p);
            status = 1;
            continue;
        }
        if (recursive && strspn(p, "/") == strlen(p)) {
            err_msg("it is dangerous to operate recursively on '/'");
            err_msg("use --no-preserve-root to override this failsafe");
            status = 1;
            continue;
        }
        if (remove_path(p) != 0)
            status = 1;
    }
    return finish(status);
}
