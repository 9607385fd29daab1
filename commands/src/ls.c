/* ls - list directory contents.
 *
 * Usage: ls [-1] [-a] [-A] [-d] [-l] [-F] [PATH...]
 *   -1  one entry per line (always the case when stdout is not a terminal)
 *   -a  include entries starting with '.', including . and ..
 *   -A  like -a but without . and ..
 *   -d  list directories themselves, not their contents
 *   -l  long format: TYPE+MODE LINKS SIZE DATE NAME [-> TARGET]
 *   -F  append indicator: / for directories, @ for symlinks
 * Entries are sorted by name (byte order). Without PATH, lists ".".
 * Like coreutils, file operands are listed first, then each directory
 * (with a "DIR:" header when more than one operand is given).
 * WASI has no users or permission bits: -l omits owner/group, and the
 * mode shows whatever the host reports (usually "---------").
 * Exit status: 0 ok, 1 minor problem (unreadable subentry), 2 bad operand.
 */
#include "common.h"
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <time.h>

static int opt_all, opt_almost, opt_dir, opt_long, opt_classify, opt_cols;
static int status;

struct ent {
    char *name;    /* name to print */
    char *path;    /* path for stat/readlink */
    struct stat st;
    int ok;        /* st is valid */
};

static int cmp_ent(const void *a, const void *b)
{
    return strcmp(((const struct ent *)a)->name, ((const struct ent *)b)->name);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char type_char(mode_t m)
{
    if (S_ISDIR(m)) return 'd';
    if (S_ISLNK(m)) return 'l';
    if (S_ISCHR(m)) return 'c';
    if (S_ISBLK(m)) return 'b';
    if (S_ISFIFO(m)) return 'p';
    if (S_ISSOCK(m)) return 's';
    return '-';
}

static int ndigits(unsigned long long v)
{
    int n = 1;
    while (v >= 10) { v /= 10; n++; }
    return n;
}

static void print_long(struct ent *e, int n)
{
    int wl = 1, ws = 1;
    time_t now = time(NULL);

    for (int i = 0; i < n; i++) {
        if (!e[i].ok) continue;
        if (ndigits(e[i].st.st_nlink) > wl) wl = ndigits(e[i].st.st_nlink);
        if (ndigits((unsigned long long)e[i].st.st_size) > ws)
            ws = ndigits((unsigned long long)e[i].st.st_size);
    }
    for (int i = 0; i < n; i++) {
        struct stat *st = &e[i].st;
        if (!e[i].ok) {
            printf("?????????? %*s %*s %12s %s\n", wl, "?", ws, "?", "?", e[i].name);
            continue;
        }
        char mode[11];
        mode_t m = st->st_mode;
        mode[0] = type_char(m);
        const char *rwx = "rwxrwxrwx";
        for (int b = 0; b < 9; b++)
            mode[b + 1] = (m & (0400 >> b)) ? rwx[b] : '-';
        mode[10] = '\0';

        char when[32];
        struct tm tm;
        time_t t = st->st_mtim.tv_sec;
        gmtime_r(&t, &tm);
        /* Recent (within ~6 months): "Mon dd HH:MM", else "Mon dd  YYYY". */
        if (t > now - 15778476 && t <= now + 3600)
            strftime(when, sizeof when, "%b %e %H:%M", &tm);
        else
            strftime(when, sizeof when, "%b %e  %Y", &tm);

        printf("%s %*lu %*lld %s %s", mode, wl, (unsigned long)st->st_nlink,
               ws, (long long)st->st_size, when, e[i].name);
        if (S_ISLNK(m)) {
            char target[PATH_MAX];
            ssize_t k = readlink(e[i].path, target, sizeof target - 1);
            if (k >= 0) {
                target[k] = '\0';
                printf(" -> %s", target);
            }
        } else if (opt_classify && S_ISDIR(m)) {
            putchar('/');
        }
        putchar('\n');
    }
}

static void print_short(struct ent *e, int n)
{
    size_t width = 0;
    for (int i = 0; i < n; i++) {
        size_t l = strlen(e[i].name) + (opt_classify ? 1 : 0);
        if (l > width) width = l;
    }
    int cols = 1;
    if (opt_cols && n > 0) {
        int term = 80;
        const char *c = getenv("COLUMNS");
        if (c && atoi(c) > 0) term = atoi(c);
        cols = term / (int)(width + 2);
        if (cols < 1) cols = 1;
    }
    int rows = (n + cols - 1) / cols;
    for (int r = 0; r < rows; r++) {
        for (int c = 0; c < cols; c++) {
            int i = c * rows + r;
            if (i >= n) break;
            const char *ind = "";
            if (opt_classify && e[i].ok)
                ind = S_ISDIR(e[i].st.st_mode) ? "/" : S_ISLNK(e[i].st.st_mode) ? "@" : "";
            int last = (c + 1) * rows + r >= n;
            if (last)
                printf("%s%s", e[i].name, ind);
            else
                printf("%s%s%*s", e[i].name, ind,
                       (int)(width + 2 - strlen(e[i].name) - strlen(ind)), "");
        }
        putchar('\n');
    }
}

static void print_ents(struct ent *e, int n)
{
    qsort(e, (size_t)n, sizeof *e, cmp_ent);
    if (opt_long)
        print_long(e, n);
    else
        print_short(e, n);
}

static char *join(const char *dir, const char *name)
{
    size_t a = strlen(dir), b = strlen(name);
    char *p = malloc(a + b + 2);
    if (!p) { err_errno("out of memory"); exit(2); }
    memcpy(p, dir, a);
    size_t k = a;
    if (a == 0 || dir[a - 1] != '/')
        p[k++] = '/';
    memcpy(p + k, name, b + 1);
    return p;
}

/* Append an entry; path is what to stat (dir/name, or the operand itself). */
static void add(struct ent **v, int *n, int *cap, const char *name, char *path)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        *v = realloc(*v, (size_t)*cap * sizeof **v);
        if (!*v) { err_errno("out of memory"); exit(2); }
    }
    struct ent *e = &(*v)[(*n)++];
    e->name = strdup(name);
    e->path = path;
    e->ok = 0;
    if (!e->name) { err_errno("out of memory"); exit(2); }
    if (opt_long || opt_classify) {
        if (lstat(e->path, &e->st) == 0) {
            e->ok = 1;
        } else if (strcmp(name, "..") == 0) {
            /* WASI hosts refuse ".." above the preopened root: there, as on
             * a real "/", ".." is the directory itself. */
            size_t len = strlen(e->path);
            e->path[len - 1] = '\0';          /* "dir/.." -> "dir/." */
            e->ok = lstat(e->path, &e->st) == 0;
            e->path[len - 1] = '.';
        } else {
            err_errno("cannot access '%s'", e->path);
            status = status ? status : 1;
        }
    }
}

static void free_ents(struct ent *v, int n)
{
    for (int i = 0; i < n; i++) {
        free(v[i].name);
        free(v[i].path);
    }
    free(v);
}

static void list_dir(const char *path)
{
    DIR *d = opendir(path);
    if (!d) {
        err_errno("cannot open directory '%s'", path);
        status = 2;
        return;
    }
    struct ent *v = NULL;
    int n = 0, cap = 0, seen_dot = 0, seen_dotdot = 0;
    struct dirent *de;
    while ((errno = 0, de = readdir(d)) != NULL) {
        const char *nm = de->d_name;
        int dot = strcmp(nm, ".") == 0, dotdot = strcmp(nm, "..") == 0;
        seen_dot |= dot;
        seen_dotdot |= dotdot;
        if (nm[0] == '.') {
            if (!opt_all && !opt_almost) continue;
            if ((dot || dotdot) && !opt_all) continue;
        }
        add(&v, &n, &cap, nm, join(path, nm));
    }
    if (errno) {
        err_errno("reading directory '%s'", path);
        status = 2;
    }
    closedir(d);
    /* Some WASI hosts omit . and .. from fd_readdir; -a still shows them. */
    if (opt_all && !seen_dot) add(&v, &n, &cap, ".", join(path, "."));
    if (opt_all && !seen_dotdot) add(&v, &n, &cap, "..", join(path, ".."));
    print_ents(v, n);
    free_ents(v, n);
}

int main(int argc, char **argv)
{
    int i = 1;

    prog = "ls";
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0) { i++; break; }
        if (a[0] != '-' || a[1] == '\0') break;
        for (a++; *a; a++) {
            switch (*a) {
            case '1': break;
            case 'a': opt_all = 1; opt_almost = 0; break;
            case 'A': opt_almost = 1; opt_all = 0; break;
            case 'd': opt_dir = 1; break;
            case 'l': opt_long = 1; break;
            case 'F': opt_classify = 1; break;
            default:
                err_msg("invalid option -- '%c'", *a);
                return 2;
            }
        }
    }
    int one = 0;
    for (int k = 1; k < i; k++)
        if (argv[k][0] == '-' && strchr(argv[k], '1')) one = 1;
    opt_cols = !one && !opt_long && isatty(STDOUT_FILENO);

    static char *dot_arg[] = {".", NULL};
    char **ops = i < argc ? argv + i : dot_arg;
    int nops = i < argc ? argc - i : 1;

    /* Split operands into files (listed together) and directories. */
    struct ent *files = NULL;
    int nfiles = 0, cap = 0;
    char **dirs = calloc((size_t)nops, sizeof *dirs);
    int ndirs = 0;
    if (!dirs) { err_errno("out of memory"); return 2; }
    for (int k = 0; k < nops; k++) {
        struct stat st;
        if (stat(ops[k], &st) != 0 && lstat(ops[k], &st) != 0) {
            err_errno("cannot access '%s'", ops[k]);
            status = 2;
            continue;
        }
        if (S_ISDIR(st.st_mode) && !opt_dir) {
            dirs[ndirs++] = ops[k];
        } else {
            char *p = strdup(ops[k]);
            if (!p) { err_errno("out of memory"); return 2; }
            add(&files, &nfiles, &cap, ops[k], p);
        }
    }
    if (nfiles)
        print_ents(files, nfiles);
    free_ents(files, nfiles);

    qsort(dirs, (size_t)ndirs, sizeof *dirs, cmp_str);
    for (int k = 0; k < ndirs; k++) {
        if (nfiles || k > 0)
            putchar('\n');
        if (nops > 1)
            printf("%s:\n", dirs[k]);
        list_dir(dirs[k]);
    }
    free(dirs);
    return finish(status);
}
