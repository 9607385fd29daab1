/* sleep - pause for the total of the given intervals.
 *
 * Usage: sleep NUMBER[SUFFIX]...
 * NUMBER may be fractional (e.g. 0.1); SUFFIX is s (default), m, h or d.
 * Uses nanosleep(), which wasi-libc implements with poll_oneoff on a clock.
 */
#include "common.h"
#include <math.h>
#include <time.h>

int main(int argc, char **argv)
{
    double total = 0;

    prog = "sleep";
    if (argc < 2) {
        err_msg("missing operand");
        return 1;
    }
    for (int i = 1; i < argc; i++) {
        char *end;
        double v = strtod(argv[i], &end);
        double mul = 1;
        if (end != argv[i] && *end && !end[1]) {
            switch (*end) {
            case 's': mul = 1; end++; break;
            case 'm': mul = 60; end++; break;
            case 'h': mul = 3600; end++; break;
            case 'd': mul = 86400; end++; break;
            }
        }
        if (end == argv[i] || *end || !(v >= 0) || isinf(v)) {
            err_msg("invalid time interval '%s'", argv[i]);
            return 1;
        }
        total += v * mul;
    }
    if (total > 1e12)
        total = 1e12;
    struct timespec ts;
    ts.tv_sec = (time_t)total;
    ts.tv_nsec = (long)((total - (double)ts.tv_sec) * 1e9);
    while (nanosleep(&ts, &ts) != 0) {
        if (errno != EINTR) {
            err_errno("cannot sleep");
            return 1;
        }
    }
    return 0;
}
