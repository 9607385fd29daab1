"""Implements ThreadPoolExecutor.

CPython's own `concurrent.futures.thread` (its bytecode, renamed
`concurrent.futures._thread_cpython` in this standard library by ci/fetch-python), run in this
module, with the work done on the caller's thread: this build cannot start threads, so
CPython's executor failed every `submit` with "can't start new thread" (and with it
`executor.map`, `asyncio.to_thread` and `loop.run_in_executor(None, ...)`). Here `submit` queues
the work item as CPython does, then runs what is queued before it returns, in the executor's
one worker context (its `initializer` run once, before the first item; a failing one breaks
the executor as in CPython). The future is done when `submit` returns; a task may submit more
work to the same executor. What needs tasks to run at the same time (one waiting for another
submitted after it) cannot work here.
"""

import _agentos_door

_agentos_door.run_cpython("concurrent.futures._thread_cpython", globals())
del _agentos_door

_cpython_submit = ThreadPoolExecutor.submit  # noqa: F821 (CPython's, defined above)


def _submit(self, fn, /, *args, **kwargs):
    future = _cpython_submit(self, fn, *args, **kwargs)
    _run_queued(self)
    return future


def _adjust_thread_count(self):
    """No worker threads: `submit` runs the queued work itself."""


def _run_queued(self):
    ctx = self.__dict__.get("_agentos_context")
    if ctx is None:
        ctx = self._create_worker_context()
        try:
            ctx.initialize()
        except BaseException:
            _base.LOGGER.critical("Exception in initializer:", exc_info=True)  # noqa: F821
            self._initializer_failed()
            return
        self._agentos_context = ctx
    while True:
        try:
            item = self._work_queue.get_nowait()
        except queue.Empty:  # noqa: F821
            return
        if item is not None:
            item.run(ctx)
            del item


_submit.__doc__ = ThreadPoolExecutor.submit.__doc__  # noqa: F821
ThreadPoolExecutor.submit = _submit  # noqa: F821
ThreadPoolExecutor._adjust_thread_count = _adjust_thread_count  # noqa: F821
