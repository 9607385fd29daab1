"""Low-level networking.

CPython's own `socket` (its bytecode, renamed `_socket_cpython` in this standard library by
ci/fetch-python), run in this module, with stream sockets on the exec's network: the sidecar
connects them under the exec's network policy (`_agentos_socket`, which says what differs).
"""

import _agentos_socket

_agentos_socket.load(globals())
del _agentos_socket
