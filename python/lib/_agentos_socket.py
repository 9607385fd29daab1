"""`socket` for the agentos sandbox: CPython's module, with TCP stream sockets that the sidecar
connects under the exec's network policy (its rules, limits and stats, as `net.connect` in a JS
guest). A socket is a real fd of the command (`sock_recv`, `sock_send`, `poll_oneoff` on it work,
so `select`, `selectors`, `settimeout` and `makefile` are CPython's own); the door's `sock_open`
and `sock_connect` make and connect it (runner-js/js/WASI.md).

What differs from CPython on Linux:
- `getaddrinfo` does not resolve: it gives the name back, and the sidecar resolves it when the
  socket connects, after the policy has screened the name (no DNS rebinding past the policy);
  `gethostbyname` of a name is the same (the name itself).
- Only TCP: UDP sockets fail with `OSError(ENOTSUP)`. A listening socket listens on one of the
  exec's virtual ports (as `net.createServer().listen()` in a JS guest): the program itself, its
  child processes and the host (`HttpRequest`) reach it at localhost, nothing on the network
  can; `bind` takes a loopback or any-address host and a port (0: a free one).
- `connect` blocks until connected (up to the socket's timeout) even on a non-blocking socket.
- A connection the policy refuses is `ConnectionRefusedError` whose message names the rule.
- `setsockopt` accepts and ignores the TCP and socket-level options clients set.
"""

import errno as _errno
import os as _os

import _agentos_door

_STREAM_FAMILIES = None


def _connect_error(head):
    """The exception for a failed `sock_connect` answer."""
    code = head.get("code") or head.get("errno") or "EIO"
    message = head.get("message") or code
    if code == "ENOTFOUND":
        return _ns["gaierror"](_ns["EAI_NONAME"], f"Name or service not known ({message})")
    if code == "ETIMEDOUT":
        return TimeoutError(_errno.ETIMEDOUT, message)
    if code == "ERR_NET_LIMIT":
        return OSError(_errno.ENOBUFS, message)
    number = getattr(_errno, code, None)
    if number is None:
        number = _agentos_door.errno_of(head)
    # The network's own refusal says what CPython says; the policy's names its rule
    # ("connect ECONNREFUSED: tcp 10.0.0.1:80 denied by network policy: ...").
    if message.startswith("connect E"):
        detail = message.partition(": ")[2]
        if not detail:
            return OSError(number, _os.strerror(number))
        message = detail
    return OSError(number, f"{_os.strerror(number)} ({message})")


_ns = {}
# The port a socket was bound to, by fd, until it listens.
_bound = {}
_LOCAL_HOSTS = ("", "0.0.0.0", "127.0.0.1", "localhost", "::", "::1")


def _address(address):
    if not isinstance(address, tuple) or len(address) < 2:
        raise TypeError("AF_INET address must be a pair (host, port)")
    host, port = address[0], address[1]
    if isinstance(host, (bytes, bytearray)):
        host = bytes(host).decode("idna")
    if not isinstance(host, str):
        raise TypeError(f"str, bytes or bytearray expected, not {type(host).__name__}")
    if not isinstance(port, int):
        raise TypeError(f"'{type(port).__name__}' object cannot be interpreted as an integer")
    if not 0 <= port <= 65535:
        raise OverflowError("connect(): port must be 0-65535.")
    return (host or "127.0.0.1"), port


def _timeout_ms(sock):
    timeout = sock.gettimeout()
    return 0 if not timeout else max(1, int(timeout * 1000))


def _door_connect(sock, address):
    host, port = _address(address)
    fields = {"fd": sock.fileno(), "host": host, "port": port, "timeout_ms": _timeout_ms(sock)}
    head, _ = _agentos_door.call("sock_connect", fields)
    return head


def _is_stream(family, type):
    return family in _STREAM_FAMILIES and (type & 0xF) == _ns["SOCK_STREAM"]


def _patch(socket_class):
    cpython_init = socket_class.__init__

    def __init__(self, family=-1, type=-1, proto=-1, fileno=None):
        if fileno is None:
            family = _ns["AF_INET"] if family == -1 else family
            type = _ns["SOCK_STREAM"] if type == -1 else type
            proto = 0 if proto == -1 else proto
            if not _is_stream(family, type):
                raise OSError(_errno.ENOTSUP, "only TCP stream sockets in this sandbox")
            head, _ = _agentos_door.call("sock_open", {})
            if "errno" in head:
                raise _agentos_door.os_error(head)
            fileno = head["fd"]
        cpython_init(self, family, type, proto, fileno)

    def connect(self, address):
        head = _door_connect(self, address)
        if "errno" in head:
            raise _connect_error(head)

    def connect_ex(self, address):
        head = _door_connect(self, address)
        if "errno" not in head:
            return 0
        error = _connect_error(head)
        return error.errno if isinstance(error.errno, int) else _errno.EIO

    def _names(self, which):
        head, _ = _agentos_door.call("sock_names", {"fd": self.fileno()})
        if "errno" in head:
            raise _agentos_door.os_error(head)
        addr, port = head[which]
        if not addr:  # a listener's peer
            raise OSError(_errno.ENOTCONN, _os.strerror(_errno.ENOTCONN))
        return (addr, port, 0, 0) if self.family == _ns["AF_INET6"] else (addr, port)

    def getpeername(self):
        return _names(self, "peer")

    def setsockopt(self, level, optname, value, optlen=None):
        """Accepted and ignored: the sidecar owns the real socket."""

    def getsockopt(self, level, optname, buflen=None):
        if optname == getattr(_ns["_socket"], "SO_TYPE", None):
            return _ns["SOCK_STREAM"]
        return 0 if buflen is None else bytes(buflen)

    def bind(self, address):
        host, port = _address(address)
        if host not in _LOCAL_HOSTS:
            raise OSError(_errno.EADDRNOTAVAIL, f"{_os.strerror(_errno.EADDRNOTAVAIL)} "
                          "(a sandbox socket listens on the exec's own ports only)")
        _bound[self.fileno()] = (host, port)

    def listen(self, backlog=128):
        _, port = _bound.pop(self.fileno(), ("", 0))
        head, _ = _agentos_door.call("sock_listen", {"fd": self.fileno(), "port": port})
        if "errno" in head:
            raise _agentos_door.os_error(head)

    cpython_accept = socket_class._accept

    def _accept(self):
        fd, _ = cpython_accept(self)
        head, _ = _agentos_door.call("sock_names", {"fd": fd})
        addr = tuple(head["peer"]) if "peer" in head else ("127.0.0.1", 0)
        return fd, (addr + (0, 0) if self.family == _ns["AF_INET6"] else addr)

    cpython_close = socket_class._real_close

    def _real_close(self, _ss=_ns["_socket"].socket):
        _bound.pop(self.fileno(), None)  # the fd's number may come back for another socket
        cpython_close(self, _ss)

    def getsockname_bound(self):
        bound = _bound.get(self.fileno())
        if bound is not None:
            return (bound[0] or "0.0.0.0", bound[1])
        return _names(self, "local")

    socket_class.__init__ = __init__
    for name, fn in [("connect", connect), ("connect_ex", connect_ex),
                     ("getpeername", getpeername), ("getsockname", getsockname_bound),
                     ("setsockopt", setsockopt), ("getsockopt", getsockopt),
                     ("bind", bind), ("listen", listen), ("_accept", _accept),
                     ("_real_close", _real_close)]:
        fn.__name__ = name
        setattr(socket_class, name, fn)


def _service_port(port):
    if port is None:
        return 0
    if isinstance(port, int):
        return port
    if isinstance(port, bytes):
        port = port.decode()
    if port.isdigit():
        return int(port)
    known = {"http": 80, "https": 443, "ftp": 21, "ssh": 22, "smtp": 25, "domain": 53}
    if port in known:
        return known[port]
    raise _ns["gaierror"](_ns["EAI_SERVICE"], "Servname not supported for ai_socktype")


def getaddrinfo(host, port, family=0, type=0, proto=0, flags=0):
    """The name back, unresolved: the sidecar resolves it at connect, under the policy."""
    if isinstance(host, bytes):
        host = host.decode("idna")
    host = host or "127.0.0.1"
    six = ":" in host
    fam = _ns["AF_INET6"] if six else _ns["AF_INET"]
    if family not in (0, _ns["AF_UNSPEC"], fam):
        raise _ns["gaierror"](_ns["EAI_FAMILY"], "Address family for hostname not supported")
    kind = type or _ns["SOCK_STREAM"]
    port = _service_port(port)
    addr = (host, port, 0, 0) if six else (host, port)
    return [(_ns["AddressFamily"](fam), _ns["SocketKind"](kind), proto or 6, "", addr)]


# Socket options this build's `_socket` lacks (Linux's numbers); `setsockopt` accepts them.
_OPTIONS = {"SO_REUSEADDR": 2, "SO_ERROR": 4, "SO_BROADCAST": 6, "SO_SNDBUF": 7,
            "SO_RCVBUF": 8, "SO_KEEPALIVE": 9, "SO_LINGER": 13}


def gethostname():
    """The sandbox's host name, as a JS guest's `os.hostname()` says."""
    return "agentos"


def gethostbyname(name):
    return name or "0.0.0.0"


def gethostbyaddr(address):
    """Loopback and this host's own name are `localhost`; no other name is known here."""
    if address in ("localhost", "127.0.0.1", "::1", _ns["gethostname"]()):
        return "localhost", [], ["127.0.0.1"]
    raise _ns["herror"](1, "Unknown host")


def load(namespace):
    """Runs CPython's `socket` in `namespace` (the `socket` module's globals) and adapts it."""
    global _STREAM_FAMILIES
    _agentos_door.run_cpython("_socket_cpython", namespace)
    _ns.update(namespace)
    _ns["_socket"] = namespace["_socket"]
    _STREAM_FAMILIES = (namespace["AF_INET"], namespace["AF_INET6"])
    _patch(namespace["socket"])
    for name, value in _OPTIONS.items():
        namespace.setdefault(name, value)
    namespace["getaddrinfo"] = getaddrinfo
    namespace["gethostbyname"] = gethostbyname
    namespace["gethostname"] = gethostname
    namespace["gethostbyaddr"] = gethostbyaddr
    namespace["__doc__"] = __doc__
