"""Selector event loop for Unix with signal handling.

CPython's own `asyncio.unix_events` (its bytecode, renamed `asyncio._unix_events_cpython` in this
standard library by ci/fetch-python), run in this module, with subprocesses the sandbox starts
(`_agentos_asyncio_subprocess`, imported on the first one): CPython's need a child watcher
thread and pipes, which this build has not; and the default executor shut down without a
thread.
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


async def _shutdown_default_executor(self, timeout=None):
    """Shuts the default executor down here: CPython starts a thread to wait for it, which
    this build cannot, and its work is already done (`concurrent.futures.thread`)."""
    self._executor_shutdown_called = True
    if self._default_executor is not None:
        self._default_executor.shutdown(wait=True)


_UnixSelectorEventLoop.shutdown_default_executor = _shutdown_default_executor  # noqa: F821
del _agentos_door
