"""An extensible library for opening URLs using a variety of protocols.

CPython's own `urllib.request` (its bytecode, renamed `urllib._request_cpython` in this standard
library by ci/fetch-python), run in this module, with its HTTP and HTTPS handlers making their
requests through the exec's network (`_agentos_http`, which says what differs from CPython's).
"""

import _agentos_http

_agentos_http.load(globals())
del _agentos_http
