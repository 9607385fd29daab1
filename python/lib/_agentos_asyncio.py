"""asyncio's event loop in the agentos sandbox.

CPython's selector event loop makes a "self-pipe" (a socket pair) as it starts, so that other
threads and signal handlers can wake it; this WASI build could not make one, so `asyncio.run()`
failed at once (`OSError: [Errno 58] Not supported`). It has no threads or signal handlers
either, so nothing needs that wake-up: here the loop starts without the pair (the sandbox's
sockets could make one now, over a virtual port, but it would only cost two connections per
loop), and everything else (tasks, `gather`, timeouts, queues, locks, `sleep` through
`poll_oneoff`, TCP streams over the sandbox's sockets) is CPython's own. `getaddrinfo` runs in
the loop's thread, not an executor's (there are no threads; ours does not resolve, so it never
blocks). Subprocesses and executors under asyncio still fail.
"""

import _agentos_door


def load(namespace):
    """Runs CPython's own `asyncio.selector_events` in `namespace`, then lets its loop start
    without a self-pipe."""
    _agentos_door.run_cpython("asyncio._selector_events_cpython", namespace)
    loop = namespace["BaseSelectorEventLoop"]
    close, write = loop._close_self_pipe, loop._write_to_self

    def _make_self_pipe(self):
        # Nothing can wake the loop but itself: no threads, no signal handlers.
        self._ssock = self._csock = None

    def _close_self_pipe(self):
        if self._ssock is not None:
            close(self)

    def _write_to_self(self):
        if self._csock is not None:
            write(self)

    async def getaddrinfo(self, host, port, *, family=0, type=0, proto=0, flags=0):
        import socket

        return socket.getaddrinfo(host, port, family, type, proto, flags)

    loop.getaddrinfo = getaddrinfo
    loop._make_self_pipe = _make_self_pipe
    loop._close_self_pipe = _close_self_pipe
    loop._write_to_self = _write_to_self
