/*
 * Linked into every command of the set: before main, enter the working directory the host
 * gives the command (the exec's or the script's cwd). wasi-libc starts every program in "/"
 * and has no standard way to learn another start directory, so the sidecar offers one import
 * of its own (runner-js/js/WASI.md, "agentos_v1"):
 *
 *   agentos_v1.cwd_get(buf, len) -> size   writes up to len bytes of the cwd (UTF-8, absolute),
 *                                          returns its full length
 *
 * A path that does not resolve beneath a mount leaves the program in "/", as before.
 */
#include <unistd.h>

__attribute__((import_module("agentos_v1"), import_name("cwd_get")))
extern unsigned long agentos_cwd_get(char *buf, unsigned long len);

__attribute__((constructor)) static void agentos_enter_cwd(void) {
    static char buf[4096];
    unsigned long n = agentos_cwd_get(buf, sizeof buf - 1);
    if (n == 0 || n >= sizeof buf || (n == 1 && buf[0] == '/')) {
        return;
    }
    buf[n] = 0;
    (void)chdir(buf);
}
