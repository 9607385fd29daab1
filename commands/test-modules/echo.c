/* echo - write arguments to standard output.
 *
 * Usage: echo [-n] [-e] [-E] [STRING...]
 *   -n  no trailing newline
 *   -e  interpret backslash escapes: \\ \a \b \c \e \f \n \r \t \v \0NNN \xHH
 *   -E  do not interpret escapes (default)
 * Like coreutils, an argument is an option only if it consists solely of
 * these letters after '-' (so "-x" or "--" is printed literally).
 */
#include "common.h"

static int hexval(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Print s with escapes; returns 1 if \c was seen (stop all output). */
static int put_escaped(const char *s)
{
    for (; *s; s++) {
        if (*s != '\\' || s[1] == '\0') {
            putchar(*s);
            continue;
        }
        int c = *++s;
        switch (c) {
        case '\\': putchar('\\'); break;
        case 'a': putchar('\a'); break;
        case 'b': putchar('\b'); break;
        case 'c': return 1;
        case 'e': putchar(0x1b); break;
        case 'f': putchar('\f'); break;
        case 'n': putchar('\n'); break;
        case 'r': putchar('\r'); break;
        case 't': putchar('\t'); break;
        case 'v': putchar('\v'); break;
        case '0': {
            int v = 0;
            for (int k = 0; k < 3 && s[1] >= '0' && s[1] <= '7'; k++)
                v = v * 8 + (*++s - '0');
            putchar(v);
            break;
        }
        case 'x':
            if (hexval(s[1]) >= 0) {
                int v = hexval(*++s);
                if (hexval(s[1]) >= 0)
                    v = v * 16 + hexval(*++s);
                putchar(v);
                break;
            }
            /* fallthrough: "\x" without digits is printed literally */
        default:
            putchar('\\');
            putchar(c);
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    int newline = 1, escapes = 0, i;

    prog = "echo";
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || a[1] == '\0' || strspn(a + 1, "neE") != strlen(a + 1))
            break;
        for (a++; *a; a++) {
            if (*a == 'n') newline = 0;
            else if (*a == 'e') escapes = 1;
            else escapes = 0;
        }
    }
    for (int first = 1; i < argc; i++, first = 0) {
        if (!first)
            putchar(' ');
        if (escapes) {
            if (put_escaped(argv[i]))
                return finish(0);
        } else {
            fputs(argv[i], stdout);
        }
    }
    if (newline)
        putchar('\n');
    return finish(0);
}
