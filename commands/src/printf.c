/* printf - format and print data.
 *
 * Usage: printf FORMAT [ARGUMENT...]
 * Conversions: %s %b %c %d %i %u %x %X %o %f %F %e %E %g %G %a %A %%, with
 * flags (-+ #0'), width and precision (either may be '*').
 * Escapes in FORMAT: \\ \" \a \b \e \f \n \r \t \v \NNN (octal) \xHH \c.
 * %b prints its argument with echo -e style escapes (\0NNN octal).
 * The FORMAT is reused while arguments remain; missing arguments are ""/0.
 * A numeric argument may be 'c (character code). Bad numbers are reported
 * and make the exit status 1, like coreutils.
 *
 * Producing exactly 64 KiB:  printf '%065536d' 0
 * (a zero-padded 0 of width 65536; wasi-libc's printf pads in chunks).
 */
#include "common.h"
#include <ctype.h>
#include <inttypes.h>

static int status = 0;
static int stop = 0;  /* set by \c */

static int hexval(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Handle the escape after a backslash at *p (p points after '\').
 * octal0: %b style, where octal needs a leading 0 (\0NNN).
 * Returns pointer to the last consumed char. */
static const char *escape(const char *p, int octal0)
{
    int v;
    switch (*p) {
    case '\\': putchar('\\'); return p;
    case '"': putchar('"'); return p;
    case 'a': putchar('\a'); return p;
    case 'b': putchar('\b'); return p;
    case 'e': putchar(0x1b); return p;
    case 'f': putchar('\f'); return p;
    case 'n': putchar('\n'); return p;
    case 'r': putchar('\r'); return p;
    case 't': putchar('\t'); return p;
    case 'v': putchar('\v'); return p;
    case 'c': stop = 1; return p;
    case 'x':
        if (hexval(p[1]) < 0)
            break;
        v = hexval(*++p);
        if (hexval(p[1]) >= 0)
            v = v * 16 + hexval(*++p);
        putchar(v);
        return p;
    case '\0':
        putchar('\\');
        return p - 1;
    default:
        if (*p >= '0' && *p <= '7') {
            int max = 3;
            if (octal0 && *p == '0') { p++; }
            else if (octal0) break;
            v = 0;
            for (int k = 0; k < max && *p >= '0' && *p <= '7'; k++, p++)
                v = v * 8 + (*p - '0');
            putchar(v);
            return p - 1;
        }
    }
    putchar('\\');
    putchar(*p);
    return p;
}

static const char *next_arg(int *ai, int argc, char **argv)
{
    return *ai < argc ? argv[(*ai)++] : NULL;
}

/* Parse a numeric argument. Accepts 'c / "c, decimal, 0x hex, 0 octal. */
static intmax_t num_arg(const char *s, int is_unsigned)
{
    if (!s)
        return 0;
    if (*s == '\'' || *s == '"')
        return (unsigned char)s[1];
    char *end;
    errno = 0;
    intmax_t v = is_unsigned && *s != '-' ? (intmax_t)strtoumax(s, &end, 0)
                                           : strtoimax(s, &end, 0);
    if (end == s || *end) {
        err_msg(end == s ? "'%s': expected a numeric value"
                         : "'%s': value not completely converted", s);
        status = 1;
    } else if (errno == ERANGE) {
        err_msg("'%s': %s", s, strerror(ERANGE));
        status = 1;
    }
    return v;
}

static double float_arg(const char *s)
{
    if (!s)
        return 0;
    if (*s == '\'' || *s == '"')
        return (unsigned char)s[1];
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end) {
        err_msg(end == s ? "'%s': expected a numeric value"
                         : "'%s': value not completely converted", s);
        status = 1;
    }
    return v;
}

/* Print FORMAT once, consuming arguments from argv[*ai]. */
static void run_format(const char *f, int *ai, int argc, char **argv)
{
    for (const char *p = f; *p && !stop; p++) {
        if (*p == '\\') {
            p = escape(p + 1, 0);
            continue;
        }
        if (*p != '%') {
            putchar(*p);
            continue;
        }
        if (p[1] == '%') {
            putchar('%');
            p++;
            continue;
        }
        /* Build a conversion spec for the C printf: %[flags][w][.p]conv */
        char spec[64];
        size_t n = 0;
        int width = 0, prec = 0, has_w = 0, has_p = 0;
        const char *start = p;
        spec[n++] = '%';
        for (p++; *p && strchr("-+ #0'", *p); p++)
            if (n < 20 && *p != '\'')
                spec[n++] = *p;
        if (*p == '*') {
            width = (int)num_arg(next_arg(ai, argc, argv), 0);
            has_w = 1;
            spec[n++] = '*';
            p++;
        } else {
            while (isdigit((unsigned char)*p)) {
                if (n < 40) spec[n++] = *p;
                p++;
            }
        }
        if (*p == '.') {
            spec[n++] = *p++;
            if (*p == '*') {
                prec = (int)num_arg(next_arg(ai, argc, argv), 0);
                has_p = 1;
                spec[n++] = '*';
                p++;
            } else {
                while (isdigit((unsigned char)*p)) {
                    if (n < 60) spec[n++] = *p;
                    p++;
                }
            }
        }
        /* Skip C length modifiers (hh h l ll j z t L), as coreutils does. */
        while (*p && strchr("hljztLq", *p))
            p++;
        char conv = *p;
        const char *arg;
        if (conv == '\0') {
            err_msg("%%%.*s: missing conversion specifier", (int)(p - start - 1), start + 1);
            status = 1;
            return;
        }
        switch (conv) {
        case 'd': case 'i': case 'u': case 'x': case 'X': case 'o': case 'c':
        case 's': case 'f': case 'F': case 'e': case 'E': case 'g': case 'G':
        case 'a': case 'A':
            break;
        case 'b': {
            /* %b: argument with escapes; honour width/precision loosely. */
            arg = next_arg(ai, argc, argv);
            for (const char *q = arg ? arg : ""; *q && !stop; q++) {
                if (*q == '\\')
                    q = escape(q + 1, 1);
                else
                    putchar(*q);
            }
            continue;
        }
        default:
            err_msg("%%%c: invalid conversion specification", conv);
            status = 1;
            stop = 1;
            return;
        }
        if (conv == 'd' || conv == 'i' || conv == 'u' || conv == 'x' ||
            conv == 'X' || conv == 'o') {
            spec[n++] = 'j';  /* arguments are passed as intmax_t */
        }
        spec[n++] = conv;
        spec[n] = '\0';
        arg = next_arg(ai, argc, argv);

#define EMIT(val)                                                        \
    do {                                                                 \
        if (has_w && has_p) printf(spec, width, prec, val);              \
        else if (has_w) printf(spec, width, val);                        \
        else if (has_p) printf(spec, prec, val);                         \
        else printf(spec, val);                                          \
    } while (0)

        switch (conv) {
        case 'd': case 'i':
            EMIT(num_arg(arg, 0));
            break;
        case 'u': case 'x': case 'X': case 'o':
            EMIT((uintmax_t)num_arg(arg, 1));
            break;
        case 'c':
            EMIT(arg ? (int)(unsigned char)arg[0] : 0);
            break;
        case 's':
            EMIT(arg ? arg : "");
            break;
        default:
            EMIT(float_arg(arg));
        }
#undef EMIT
    }
}

int main(int argc, char **argv)
{
    prog = "printf";
    int ai = 1;
    if (ai < argc && strcmp(argv[ai], "--") == 0)
        ai++;
    if (ai >= argc) {
        err_msg("missing operand");
        return 1;
    }
    const char *fmt = argv[ai++];
    do {
        int before = ai;
        run_format(fmt, &ai, argc, argv);
        if (ai == before)  /* format consumed no arguments: do not loop */
            break;
    } while (ai < argc && !stop);
    return finish(status);
}
