/* common.h - tiny helpers shared by the agentos default commands.
 *
 * Every command sets `prog` (the name used in error messages) and uses
 * err_msg()/err_errno() to print coreutils-style diagnostics on stderr.
 */
#ifndef AGENTOS_COMMON_H
#define AGENTOS_COMMON_H

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *prog = "cmd";

/* "prog: <message>\n" */
static inline void err_msg(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s: ", prog);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

/* "prog: <message>: strerror(errno)\n" (errno is sampled on entry) */
static inline void err_errno(const char *fmt, ...)
{
    int e = errno;
    va_list ap;
    fprintf(stderr, "%s: ", prog);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, ": %s\n", strerror(e));
}

/* write(2) until everything is written; returns 0 or -1 with errno set. */
static inline int write_all(int fd, const void *buf, size_t n)
{
    const char *p = buf;
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* read(2) retrying on EINTR. Reading a directory fails with EBADF under
 * WASI; report it as EISDIR like Linux does. */
static inline ssize_t read_some(int fd, void *buf, size_t n)
{
    for (;;) {
        ssize_t r = read(fd, buf, n);
        if (r >= 0 || errno != EINTR) {
            struct stat st;
            if (r < 0 && errno == EBADF && fstat(fd, &st) == 0 && S_ISDIR(st.st_mode))
                errno = EISDIR;
            return r;
        }
    }
}

/* Flush stdout at exit and turn a write error into exit status 1. */
static inline int finish(int status)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        err_errno("write error");
        return 1;
    }
    return status;
}

#endif
