"""The password database, in the agentos sandbox: this build of CPython has no `pwd` (WASI has
no users). The sandbox's one user is root (uid 0, as `os.getuid()` answers here), whose entry is
what a JS guest's `os.userInfo()` says: home `/root`, shell `/bin/sh`. So `getpass.getuser()`,
`os.path.expanduser("~")` and `pathlib.Path.home()` answer as they would for root (`HOME`,
when set, still wins for the last two)."""

from collections import namedtuple as _namedtuple

struct_passwd = _namedtuple(
    "struct_passwd", "pw_name pw_passwd pw_uid pw_gid pw_gecos pw_dir pw_shell"
)
struct_passwd.__module__ = "pwd"

_ROOT = struct_passwd("root", "x", 0, 0, "root", "/root", "/bin/sh")


def getpwuid(uid):
    """The entry of user id `uid` (only root's exists)."""
    if int(uid) != 0:
        raise KeyError(f"getpwuid(): uid not found: {uid}")
    return _ROOT


def getpwnam(name):
    """The entry of user `name` (only root's exists)."""
    if not isinstance(name, str):
        raise TypeError(f"getpwnam(): argument must be str, not {type(name).__name__}")
    if name != "root":
        raise KeyError(f"getpwnam(): name not found: {name!r}")
    return _ROOT


def getpwall():
    """Every entry: root's."""
    return [_ROOT]
