/* date - print the current date and time (always UTC: WASI has no time zones).
 *
 * Usage: date [-u] [-d @SECONDS] [+FORMAT]
 *   -u, --utc    accepted (output is always UTC)
 *   -d @SECONDS  show the given Unix time instead of now
 *   +FORMAT      strftime(3) format; default "%a %b %e %H:%M:%S %Z %Y"
 */
#include "common.h"
#include <time.h>

int main(int argc, char **argv)
{
    const char *fmt = "%a %b %e %H:%M:%S UTC %Y";
    struct timespec ts;
    int have_time = 0;

    prog = "date";
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-u") == 0 || strcmp(a, "--utc") == 0 ||
            strcmp(a, "--universal") == 0) {
            continue;
        } else if (strcmp(a, "-d") == 0 || strncmp(a, "--date=", 7) == 0) {
            const char *v = a[1] == 'd' ? argv[++i] : a + 7;
            char *end;
            if (!v || v[0] != '@') {
                err_msg("invalid date '%s' (only @SECONDS is supported)", v ? v : "");
                return 1;
            }
            errno = 0;
            long long s = strtoll(v + 1, &end, 10);
            if (errno || end == v + 1 || *end) {
                err_msg("invalid date '%s'", v);
                return 1;
            }
            ts.tv_sec = (time_t)s;
            ts.tv_nsec = 0;
            have_time = 1;
        } else if (a[0] == '+') {
            fmt = a + 1;
        } else {
            err_msg("invalid date '%s'", a);
            return 1;
        }
    }
    if (!have_time && clock_gettime(CLOCK_REALTIME, &ts) != 0) {
        err_errno("cannot get time");
        return 1;
    }
    struct tm tm;
    if (!gmtime_r(&ts.tv_sec, &tm)) {
        err_msg("time %lld is out of range", (long long)ts.tv_sec);
        return 1;
    }
    /* strftime returns 0 both for "too small" and for an empty result;
     * grow the buffer a few times before concluding the output is empty. */
    size_t cap = 256;
    for (int tries = 0; tries < 8; tries++, cap *= 4) {
        char *buf = malloc(cap);
        if (!buf) {
            err_errno("out of memory");
            return 1;
        }
        size_t n = strftime(buf, cap, fmt, &tm);
        if (n > 0 || tries == 7 || *fmt == '\0') {
            fwrite(buf, 1, n, stdout);
            putchar('\n');
            free(buf);
            break;
        }
        free(buf);
    }
    return finish(0);
}
