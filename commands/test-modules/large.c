/* large - a deliberately LARGE command for benchmarking module-size cost.
 *
 * Usage: large [-q] [WORD...]
 *   -q  print only the final "ok" line
 *
 * It prints a short report about its arguments (default words: "alpha beta
 * gamma delta 42 3.14 epsilon") computed with many different parts of
 * libc, so that the linker pulls in a big slice of wasi-libc: locale +
 * strftime/mktime/timegm, printf float formatting (%f %e %g %a), strtod,
 * sscanf, qsort/bsearch, POSIX regex (regcomp/regexec), fnmatch, getopt,
 * iconv, wide characters (mbstowcs/wcwidth/swprintf), tsearch, hsearch and
 * libm (sqrt/exp/log/pow/sin/cos/atan2/lgamma/erf/cbrt/hypot). The result
 * is ~100+ KiB of wasm. Output is deterministic except for the "now:" line,
 * and it exits 0 quickly.
 */
#include "common.h"
#include <ctype.h>
#include <fnmatch.h>
#include <getopt.h>
#include <iconv.h>
#include <inttypes.h>
#include <locale.h>
#include <math.h>
#include <regex.h>
#include <search.h>
#include <time.h>
#include <wchar.h>
#include <wctype.h>

static const char *default_words[] = {
    "alpha", "beta", "gamma", "delta", "42", "3.14", "epsilon", NULL
};

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_tree(const void *a, const void *b)
{
    return strcmp(a, b);
}

static int tree_count;
static void count_node(const void *node, VISIT which, int depth)
{
    (void)node;
    (void)depth;
    if (which == postorder || which == leaf)
        tree_count++;
}

static uint32_t crc32_str(uint32_t crc, const char *s)
{
    crc = ~crc;
    for (; *s; s++) {
        crc ^= (unsigned char)*s;
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

int main(int argc, char **argv)
{
    int quiet = 0, c;

    prog = "large";
    setlocale(LC_ALL, "");
    while ((c = getopt(argc, argv, "q")) != -1) {
        if (c == 'q')
            quiet = 1;
        else
            return 2;
    }
    const char **words = default_words;
    int nwords = 7;
    if (optind < argc) {
        words = (const char **)(argv + optind);
        nwords = argc - optind;
    }

    /* now: strftime with the (C/UTF-8) locale, plus mktime/timegm round trip */
    char when[128];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(when, sizeof when, "%A %d %B %Y %H:%M:%S (day %j, week %V)", &tm);
    time_t back = timegm(&tm);

    /* sort + bsearch */
    const char **sorted = malloc(sizeof *sorted * (size_t)nwords);
    if (!sorted)
        return 1;
    memcpy(sorted, words, sizeof *sorted * (size_t)nwords);
    qsort(sorted, (size_t)nwords, sizeof *sorted, cmp_str);
    const char *key = words[0];
    const char **found = bsearch(&key, sorted, (size_t)nwords, sizeof *sorted, cmp_str);

    /* regex + fnmatch */
    regex_t re_word, re_num;
    if (regcomp(&re_word, "^[[:alpha:]]+$", REG_EXTENDED | REG_NOSUB) != 0 ||
        regcomp(&re_num, "^[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?$",
                REG_EXTENDED | REG_NOSUB) != 0) {
        err_msg("regcomp failed");
        return 1;
    }
    int n_alpha = 0, n_num = 0, n_glob = 0;
    double sum = 0, sumsq = 0, prod_log = 0;
    for (int i = 0; i < nwords; i++) {
        if (regexec(&re_word, words[i], 0, NULL, 0) == 0)
            n_alpha++;
        if (regexec(&re_num, words[i], 0, NULL, 0) == 0) {
            double v;
            if (sscanf(words[i], "%lf", &v) == 1) {
                n_num++;
                sum += v;
                sumsq += v * v;
                prod_log += log(fabs(v) + 1);
            }
        }
        if (fnmatch("*[aeiou]?", words[i], 0) == 0)
            n_glob++;
    }
    regfree(&re_word);
    regfree(&re_num);

    /* tsearch (unique words) + hsearch (lookup) */
    void *root = NULL;
    hcreate((size_t)nwords * 2 + 8);
    for (int i = 0; i < nwords; i++) {
        tsearch(words[i], &root, cmp_tree);
        ENTRY e = {(char *)words[i], (void *)(intptr_t)i};
        hsearch(e, ENTER);
    }
    twalk(root, count_node);
    ENTRY q = {(char *)words[nwords - 1], NULL};
    ENTRY *hit = hsearch(q, FIND);
    intptr_t last_index = hit ? (intptr_t)hit->data : -1;
    hdestroy();

    /* wide characters + iconv */
    size_t chars = 0, bytes = 0;
    int cols = 0;
    wchar_t wbuf[256];
    for (int i = 0; i < nwords; i++) {
        size_t n = mbstowcs(wbuf, words[i], 255);
        if (n != (size_t)-1) {
            chars += n;
            for (size_t k = 0; k < n; k++) {
                int w = wcwidth(wbuf[k]);
                cols += w > 0 ? w : 0;
            }
        }
        bytes += strlen(words[i]);
    }
    /* first sorted word, upper-cased through wide characters */
    wchar_t wmsg[64];
    size_t wn = mbstowcs(wbuf, sorted[0], 255);
    if (wn == (size_t)-1)
        wn = 0;
    for (size_t k = 0; k < wn; k++)
        wbuf[k] = (wchar_t)towupper((wint_t)wbuf[k]);
    wbuf[wn] = L'\0';
    swprintf(wmsg, 64, L"%ls", wbuf);
    size_t utf16_bytes = 0;
    iconv_t cd = iconv_open("UTF-16LE", "UTF-8");
    if (cd != (iconv_t)-1) {
        for (int i = 0; i < nwords; i++) {
            char in[256], out[1024];
            snprintf(in, sizeof in, "%s", words[i]);
            char *ip = in, *op = out;
            size_t il = strlen(in), ol = sizeof out;
            if (iconv(cd, &ip, &il, &op, &ol) != (size_t)-1)
                utf16_bytes += sizeof out - ol;
        }
        iconv_close(cd);
    }

    /* libm */
    double mean = n_num ? sum / n_num : 0;
    double var = n_num ? sumsq / n_num - mean * mean : 0;
    double x = (double)nwords;
    double m[] = {sqrt(x), exp(x / 10), log(x), pow(x, 1.5), sin(x), cos(x),
                  atan2(x, 3), lgamma(x + 1), erf(x / 10), cbrt(x), hypot(x, 4)};

    uint32_t crc = 0;
    for (int i = 0; i < nwords; i++)
        crc = crc32_str(crc, sorted[i]);

    if (!quiet) {
        printf("now:      %s (epoch %lld, round trip %s)\n", when, (long long)now,
               back == now ? "ok" : "MISMATCH");
        printf("locale:   %s\n", setlocale(LC_CTYPE, NULL));
        printf("words:    %d, sorted:", nwords);
        for (int i = 0; i < nwords; i++)
            printf(" %s", sorted[i]);
        printf("\nbsearch:  '%s' at %td\n", words[0], found ? found - sorted : (ptrdiff_t)-1);
        printf("regex:    %d alphabetic, %d numeric; fnmatch '*[aeiou]?': %d\n",
               n_alpha, n_num, n_glob);
        printf("numbers:  sum=%.6f mean=%.4e stddev=%g hex=%a logsum=%.3f\n",
               sum, mean, sqrt(var > 0 ? var : 0), sum, prod_log);
        printf("search:   %d unique (tsearch), last word index %" PRIdPTR " (hsearch)\n",
               tree_count, last_index);
        printf("text:     %zu bytes, %zu chars, %d columns, %zu UTF-16 bytes, first sorted upper-cased '%ls'\n",
               bytes, chars, cols, utf16_bytes, wmsg);
        printf("libm:    ");
        for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
            printf(" %.5g", m[i]);
        printf("\ncrc32:    %08" PRIx32 "\n", crc);
    }
    printf("ok\n");
    free(sorted);
    return finish(0);
}
