"""The group database, in the agentos sandbox: this build of CPython has no `grp` (WASI has no
groups). The sandbox's one group is root (gid 0, as `os.getgid()` answers here)."""

from collections import namedtuple as _namedtuple

struct_group = _namedtuple("struct_group", "gr_name gr_passwd gr_gid gr_mem")
struct_group.__module__ = "grp"

_ROOT = struct_group("root", "x", 0, [])


def getgrgid(gid):
    """The entry of group id `gid` (only root's exists)."""
    if int(gid) != 0:
        raise KeyError(f"getgrgid(): gid not found: {gid}")
    return _ROOT


def getgrnam(name):
    """The entry of group `name` (only root's exists)."""
    if not isinstance(name, str):
        raise TypeError(f"getgrnam(): argument must be str, not {type(name).__name__}")
    if name != "root":
        raise KeyError(f"getgrnam(): name not found: {name!r}")
    return _ROOT


def getgrall():
    """Every entry: root's."""
    return [_ROOT]
