"""Selector event loop for Unix with signal handling.

CPython's own `asyncio.unix_events` (its bytecode, renamed `asyncio._unix_events_cpython` in this
standard library by ci/fetch-python), run in this module, with subprocesses the sandbox starts
(`_agentos_asyncio_subprocess`, imported on the first one): CPython's need a child watcher
thread and pipes, which this build has not.
"""

import _agentos_door

_agentos_door.run_cpython("asyncio._unix_events_cpython", globals())


async def _make_subprocess_transport(
    self, protocol, args, shell, stdin, stdout, stderr, bufsize, extra=None, **kwargs
):
    import _agentos_asyncio_subprocess

    return await _agentos_asyncio_subprocess.make_transport(
        self, protocol, args, shell, stdin, stdout, stderr, bufsize, extra=extra, **kwargs
    )


_UnixSelectorEventLoop._make_subprocess_transport = _make_subprocess_transport  # noqa: F821
del _agentos_door
