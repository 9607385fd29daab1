"""asyncio's subprocesses in the agentos sandbox (`asyncio.create_subprocess_exec` and `_shell`,
`loop.subprocess_exec`): CPython's transport needs a child watcher (a thread here, which this
build cannot start) and pipes the selector reads (a child is not a process with fds here).
Ours runs the child through `subprocess.Popen` (`_agentos_subprocess`, a guest of the same
sandbox) as that runs it: to its end when its result is first needed, here once its stdin is
closed (`communicate`, `stdin.close()`, `write_eof()`), at once when it has no stdin pipe, or
when the program waits for it. Its output then reaches the protocol as CPython's pipes would
deliver it (`pipe_data_received`, `pipe_connection_lost`, `process_exited`). The loop waits
while the child runs, so two children run one after the other; a child's output cannot be read
while it runs, and one that waits for input written after its output was read never ends; a
timeout (`asyncio.wait_for`) cannot stop a child that is running, as the loop is waiting for
it. A program name that names nothing raises `FileNotFoundError` at once, as CPython's does.
"""

import subprocess

from asyncio import base_subprocess, transports


class _Stdin(transports.WriteTransport):
    """The child's stdin: what is written is kept for its run, which closing it starts."""

    def __init__(self, owner):
        super().__init__()
        self._owner = owner
        self._closing = False

    def write(self, data):
        if self._closing:
            raise RuntimeError("the child's stdin is closed")
        self._owner._input += bytes(data)

    def writelines(self, list_of_data):
        for data in list_of_data:
            self.write(data)

    def can_write_eof(self):
        return True

    def write_eof(self):
        self.close()

    def is_closing(self):
        return self._closing

    def close(self):
        if not self._closing:
            self._closing = True
            self._owner._loop.call_soon(self._owner._run)

    abort = close

    def get_write_buffer_size(self):
        return 0


class _Output(transports.ReadTransport):
    """One of the child's output streams: it comes whole once the child has run."""

    def __init__(self):
        super().__init__()
        self._closing = False

    def pause_reading(self):
        pass

    def resume_reading(self):
        pass

    def is_reading(self):
        return not self._closing

    def is_closing(self):
        return self._closing

    def close(self):
        self._closing = True


class Transport(base_subprocess.BaseSubprocessTransport):
    """A child of the sandbox as asyncio's subprocess transport."""

    def _start(self, args, shell, stdin, stdout, stderr, bufsize, **kwargs):
        self._input = b""
        self._started = False
        self._proc = subprocess.Popen(
            args, shell=shell, stdin=stdin, stdout=stdout, stderr=stderr, bufsize=bufsize,
            **kwargs,
        )

    async def _connect_pipes(self, waiter):
        for fd in list(self._pipes):
            if fd == 0:
                proto, pipe = base_subprocess.WriteSubprocessPipeProto(self, 0), _Stdin(self)
            else:
                proto, pipe = base_subprocess.ReadSubprocessPipeProto(self, fd), _Output()
            proto.connection_made(pipe)
            self._pipes[fd] = proto
        self._loop.call_soon(self._protocol.connection_made, self)
        for callback, data in self._pending_calls:
            self._loop.call_soon(callback, *data)
        self._pending_calls = None
        if 0 not in self._pipes:
            self._loop.call_soon(self._run)
        if waiter is not None and not waiter.cancelled():
            waiter.set_result(None)

    def _run(self):
        """Runs the child to its end (once) and hands its output and status to the protocol."""
        if self._started or self._proc is None:
            return
        self._started = True
        try:
            out, err = self._proc.communicate(self._input if 0 in self._pipes else None)
        except OSError as e:  # it could not start (the process limit...): as a failed exec
            out, err = b"", f"{self._proc.args!r}: {e}\n".encode()
            self._proc.returncode = 127
        for fd, data in ((1, out), (2, err)):
            proto = self._pipes.get(fd)
            if proto is not None:
                if data:
                    proto.data_received(data)
                proto.connection_lost(None)
        stdin = self._pipes.get(0)
        if stdin is not None and not stdin.disconnected:
            stdin.connection_lost(None)
        self._process_exited(self._proc.returncode)

    async def _wait(self):
        if self._returncode is None:
            self._loop.call_soon(self._run)
        return await super()._wait()

    def close(self):
        if not self._started and self._proc is not None:
            self._started = True
            self._proc.kill()  # it never starts
            self._loop.call_soon(self._process_exited, self._proc.returncode)
        super().close()


async def make_transport(
    loop, protocol, args, shell, stdin, stdout, stderr, bufsize, extra=None, **kwargs
):
    """`_make_subprocess_transport` of the sandbox's event loop."""
    waiter = loop.create_future()
    transport = Transport(
        loop, protocol, args, shell, stdin, stdout, stderr, bufsize, waiter=waiter, extra=extra,
        **kwargs,
    )
    try:
        await waiter
    except BaseException:
        transport.close()
        await transport._wait()
        raise
    return transport
