"""HTTP and HTTPS for `urllib.request` in the agentos sandbox.

This CPython has neither sockets nor `ssl`; the sidecar makes the requests instead, through the
exec's network (its `allow_net` policy, limits and secrets, as for a JS guest's `fetch`; TLS
included), over the door's `http_*` ops (runner-js/js/WASI.md). `urlopen`, `Request`,
`build_opener`, redirects (followed by urllib, each hop checked by the policy again),
`HTTPError` and `URLError` work as in CPython. What differs: `https` needs no `ssl` module and
ignores a `context` (certificates are checked by the sidecar against its roots); a request
refused by the policy is a `URLError` whose reason names the rule; `http.client` and `socket`
themselves still cannot connect.
"""

import errno
import http.client
import io
import urllib.error
import urllib.response

import _agentos_door


def load(namespace):
    """Runs CPython's own `urllib.request` in `namespace`, then puts handlers that make their
    requests through the exec's network in place of its HTTP ones."""
    _agentos_door.run_cpython("urllib._request_cpython", namespace)
    base = namespace["AbstractHTTPHandler"]

    class HTTPHandler(base):
        def http_open(self, req):
            return _open(req)

        http_request = base.do_request_

    class HTTPSHandler(base):
        def __init__(self, debuglevel=None, context=None, check_hostname=None):
            super().__init__(debuglevel)

        def https_open(self, req):
            return _open(req)

        https_request = base.do_request_

    original = namespace["build_opener"]

    def build_opener(*handlers):
        """As CPython's, with the HTTPS handler every build here lacks (it has no `ssl`)."""
        https = [h for h in handlers if _is_a(h, HTTPSHandler)]
        return original(*handlers, *([] if https else [HTTPSHandler]))

    build_opener.__doc__ = original.__doc__
    for name, value in (
        ("HTTPHandler", HTTPHandler),
        ("HTTPSHandler", HTTPSHandler),
        ("build_opener", build_opener),
    ):
        value.__module__ = namespace["__name__"]
        value.__qualname__ = name
        namespace[name] = value
    if "HTTPSHandler" not in namespace["__all__"]:
        namespace["__all__"].append("HTTPSHandler")


def _is_a(handler, cls):
    return isinstance(handler, cls) or (isinstance(handler, type) and issubclass(handler, cls))


def _headers(req):
    """The request's headers as `AbstractHTTPHandler.do_open` sends them."""
    headers = dict(req.unredirected_hdrs)
    headers.update({k: v for k, v in req.headers.items() if k not in headers})
    headers["Connection"] = "close"
    return [[name.title(), str(value)] for name, value in headers.items()]


def _body(data):
    if data is None:
        return b""
    if isinstance(data, (bytes, bytearray, memoryview)):
        return bytes(data)
    if hasattr(data, "read"):
        return data.read()
    return b"".join(data)


def _open(req):
    timeout = req.timeout if isinstance(req.timeout, (int, float)) else None
    fields = {
        "method": req.get_method(),
        "url": req.full_url,
        "headers": _headers(req),
        "head_ms": 0 if timeout is None else max(1, int(timeout * 1000)),
    }
    head, _ = _agentos_door.call("http_request", fields, _body(req.data))
    if "errno" not in head:
        handle = head["handle"]
        head, names = _agentos_door.call("http_response", {"handle": handle})
    if "errno" in head:
        raise urllib.error.URLError(_reason(head))
    message = http.client.HTTPMessage()
    fields = names.split(b"\0")
    for name, value in zip(fields[0:-1:2], fields[1::2]):
        message[name.decode("latin-1")] = value.decode("latin-1")
    response = _Response(io.BufferedReader(_Body(handle)), message, req.full_url, head["status"])
    response.reason = response.msg = head["reason"]
    response.version = 11 if head["version"] == "HTTP/1.1" else 10
    return response


# The OSError a failed request's network code stands for, as CPython's socket would raise.
_ERRORS = {
    "ECONNREFUSED": ConnectionRefusedError,
    "ECONNRESET": ConnectionResetError,
    "ETIMEDOUT": TimeoutError,
    "EHOSTUNREACH": OSError,
    "ENETUNREACH": OSError,
}


def _reason(head):
    """What a failed request's `URLError` says: the network's code and message (a refusal by the
    policy is an ECONNREFUSED naming the rule)."""
    code = head.get("code")
    if not code:
        return _agentos_door.os_error(head)
    if code == "ENOTFOUND":
        import socket

        return socket.gaierror(socket.EAI_NONAME, head["message"])
    number = getattr(errno, code, None)
    if number is None:
        return f"{code}: {head['message']}"
    return _ERRORS.get(code, OSError)(number, head["message"])


class _Response(urllib.response.addinfourl):
    """What `urlopen` returns: `http.client.HTTPResponse`'s reading methods over the body."""

    def getheader(self, name, default=None):
        values = self.headers.get_all(name)
        return default if not values else ", ".join(values)

    def getheaders(self):
        return list(self.headers.items())


class _Body(io.RawIOBase):
    """A response's body, read through the door as it comes."""

    def __init__(self, handle):
        self._handle = handle

    def readable(self):
        return True

    def readinto(self, buffer):
        head, data = _agentos_door.call("http_read", {"handle": self._handle, "max": len(buffer)})
        if "errno" in head:
            raise OSError(_reason(head))
        buffer[: len(data)] = data
        return len(data)

    def close(self):
        if not self.closed:
            _agentos_door.call("http_close", {"handle": self._handle})
        super().close()
