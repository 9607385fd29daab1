/* wc - count lines, words and bytes.
 *
 * Usage: wc [-l] [-w] [-c] [FILE...]
 *   -l lines, -w words (whitespace-separated, C locale), -c bytes.
 * Without flags prints all three (in the order lines, words, bytes).
 * With no FILE, or FILE "-", reads standard input. With more than one FILE a
 * "total" line follows. Column widths follow coreutils: a single count of a
 * single input is unpadded; otherwise the width fits the total size of the
 * regular files (stdin included), or at least 7 when an input is a pipe or
 * other non-regular file.
 */
#include "common.h"
#include <ctype.h>
#include <fcntl.h>
#include <sys/stat.h>

static char buf[64 * 1024];
static int show_l, show_w, show_c, width;

struct counts { unsigned long long l, w, c; };

static int count_fd(int fd, const char *name, struct counts *k)
{
    int in_word = 0;
    for (;;) {
        ssize_t n = read_some(fd, buf, sizeof buf);
        if (n == 0)
            return 0;
        if (n < 0) {
            err_errno("%s", name);
            return -1;
        }
        k->c += (unsigned long long)n;
        for (ssize_t i = 0; i < n; i++) {
            unsigned char ch = (unsigned char)buf[i];
            if (ch == '\n')
                k->l++;
            if (isspace(ch)) {
                in_word = 0;
            } else if (!in_word) {
                in_word = 1;
                k->w++;
            }
        }
    }
}

static void print_counts(const struct counts *k, const char *name)
{
    const char *sep = "";
    if (show_l) { printf("%s%*llu", sep, width, k->l); sep = " "; }
    if (show_w) { printf("%s%*llu", sep, width, k->w); sep = " "; }
    if (show_c) { printf("%s%*llu", sep, width, k->c); sep = " "; }
    if (name)
        printf(" %s", name);
    putchar('\n');
}

int main(int argc, char **argv)
{
    int i = 1, status = 0;

    prog = "wc";
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0) { i++; break; }
        if (a[0] != '-' || a[1] == '\0') break;
        for (a++; *a; a++) {
            if (*a == 'l') show_l = 1;
            else if (*a == 'w') show_w = 1;
            else if (*a == 'c') show_c = 1;
            else {
                err_msg("invalid option -- '%c'", *a);
                return 1;
            }
        }
    }
    if (!show_l && !show_w && !show_c)
        show_l = show_w = show_c = 1;

    int nfiles = argc - i;
    int nshown = show_l + show_w + show_c;

    /* Column width, computed up front like coreutils. */
    if (nshown == 1 && nfiles <= 1) {
        width = 1;
    } else {
        unsigned long long total = 0;
        int nonreg = 0;
        for (int k = nfiles ? i : argc - 1; k < argc; k++) {
            struct stat st;
            int rc = nfiles == 0 || strcmp(argv[k], "-") == 0
                         ? fstat(STDIN_FILENO, &st) : stat(argv[k], &st);
            if (rc == 0 && S_ISREG(st.st_mode))
                total += (unsigned long long)st.st_size;
            else if (rc == 0)
                nonreg = 1;
        }
        width = 1;
        while (total >= 10) { total /= 10; width++; }
        if (nonreg && width < 7)
            width = 7;
    }

    struct counts sum = {0, 0, 0};
    if (nfiles == 0) {
        struct counts k = {0, 0, 0};
        if (count_fd(STDIN_FILENO, "-", &k) < 0)
            status = 1;
        print_counts(&k, NULL);
        return finish(status);
    }
    for (; i < argc; i++) {
        struct counts k = {0, 0, 0};
        const char *name = argv[i];
        int fd = strcmp(name, "-") == 0 ? STDIN_FILENO : open(name, O_RDONLY);
        if (fd < 0) {
            err_errno("%s", name);
            status = 1;
            continue;
        }
        if (count_fd(fd, name, &k) < 0)
            status = 1;
        if (fd != STDIN_FILENO)
            close(fd);
        print_counts(&k, name);
        sum.l += k.l; sum.w += k.w; sum.c += k.c;
    }
    if (nfiles > 1)
        print_counts(&sum, "total");
    return finish(status);
}
