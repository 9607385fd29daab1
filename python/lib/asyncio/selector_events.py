"""Event loop using a selector and related classes.

CPython's own `asyncio.selector_events` (its bytecode, renamed
`asyncio._selector_events_cpython` in this standard library by ci/fetch-python), run in this
module, with a loop that starts without its self-pipe when this build cannot make one
(`_agentos_asyncio`).
"""

import _agentos_asyncio

_agentos_asyncio.load(globals())
del _agentos_asyncio
