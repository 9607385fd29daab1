"""Generic socket server classes.

CPython's own `socketserver` (its bytecode, renamed `_socketserver_cpython` in this standard
library by ci/fetch-python), run in this module, with `ThreadingMixIn` handling each request
on the server's own thread: this build cannot start threads, so CPython's mixin failed every
request with "can't start new thread", and with it `python3 -m http.server` and every
`ThreadingHTTPServer`, `ThreadingTCPServer` and `ThreadingUDPServer`. Requests are served one
after the other, as the non-threading servers serve them.
"""

import _agentos_door

_agentos_door.run_cpython("_socketserver_cpython", globals())
del _agentos_door


def _process_request(self, request, client_address):
    """Serves the request now, on this thread (there are no others)."""
    self.process_request_thread(request, client_address)


ThreadingMixIn.process_request = _process_request  # noqa: F821 (CPython's, defined above)
