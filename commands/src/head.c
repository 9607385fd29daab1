/* head - output the first part of files.
 *
 * Usage: head [-n N | -c N | -N] [-q | -v] [FILE...]
 *   -n N  first N lines (default 10);  -c N  first N bytes;  -N  same as -n N
 *   -q    never print "==> FILE <==" headers;  -v  always print them
 * N is a non-negative decimal number, optionally with suffix b (512),
 * K/k (1024) or M (1048576). With no FILE, or FILE "-", reads stdin.
 * Headers are printed when more than one FILE is given.
 */
#include "common.h"
#include <fcntl.h>

static char buf[64 * 1024];

static int parse_count(const char *s, unsigned long long *out)
{
    char *end;
    if (!s || *s == '-' || *s == '\0')
        return -1;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s)
        return -1;
    if (*end == 'b') { v *= 512; end++; }
    else if (*end == 'K' || *end == 'k') { v *= 1024; end++; }
    else if (*end == 'M') { v *= 1024 * 1024; end++; }
    if (*end)
        return -1;
    *out = v;
    return 0;
}

/* Copy the first `count` lines (or bytes) of fd to stdout. */
static int head_fd(int fd, const char *name, unsigned long long count, int bytes)
{
    while (count > 0) {
        ssize_t n = read_some(fd, buf, sizeof buf);
        if (n == 0)
            return 0;
        if (n < 0) {
            err_errno("error reading '%s'", name);
            return -1;
        }
        size_t take = (size_t)n;
        if (bytes) {
            if (take > count)
                take = (size_t)count;
            count -= take;
        } else {
            for (size_t i = 0; i < (size_t)n; i++) {
                if (buf[i] == '\n' && --count == 0) {
                    take = i + 1;
                    break;
                }
            }
        }
        if (write_all(STDOUT_FILENO, buf, take) < 0) {
            err_errno("error writing 'standard output'");
            exit(1);
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    unsigned long long count = 10;
    int bytes = 0, i = 1, headers = -1, status = 0;

    prog = "head";
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0) { i++; break; }
        if (a[0] != '-' || a[1] == '\0') break;
        if (a[1] == 'n' || a[1] == 'c') {
            const char *v = a[2] ? a + 2 : argv[++i];
            if (!v) {
                err_msg("option requires an argument -- '%c'", a[1]);
                return 1;
            }
            if (parse_count(v, &count) < 0) {
                err_msg("invalid number of %s: '%s'", a[1] == 'n' ? "lines" : "bytes", v);
                return 1;
            }
            bytes = a[1] == 'c';
        } else if (a[1] >= '0' && a[1] <= '9') {
            if (parse_count(a + 1, &count) < 0) {
                err_msg("invalid number of lines: '%s'", a + 1);
                return 1;
            }
            bytes = 0;
        } else if (strcmp(a, "-q") == 0) {
            headers = 0;
        } else if (strcmp(a, "-v") == 0) {
            headers = 1;
        } else {
            err_msg("invalid option -- '%c'", a[1]);
            return 1;
        }
    }
    int nfiles = argc - i;
    if (headers < 0)
        headers = nfiles > 1;
    if (nfiles == 0) {
        if (headers)
            printf("==> standard input <==\n");
        fflush(stdout);
        return head_fd(STDIN_FILENO, "standard input", count, bytes) < 0 ? 1 : 0;
    }
    for (int first = 1; i < argc; i++) {
        const char *name = argv[i];
        int is_stdin = strcmp(name, "-") == 0;
        int fd = is_stdin ? STDIN_FILENO : open(name, O_RDONLY);
        if (fd < 0) {
            err_errno("cannot open '%s' for reading", name);
            status = 1;
            continue;
        }
        if (headers) {
            printf("%s==> %s <==\n", first ? "" : "\n", is_stdin ? "standard input" : name);
            fflush(stdout);
        }
        first = 0;
        if (head_fd(fd, is_stdin ? "standard input" : name, count, bytes) < 0)
            status = 1;
        if (!is_stdin)
            close(fd);
    }
    return finish(status);
}
