"""Standard "encodings" Package.

CPython's own `encodings` package (its `__init__` bytecode, renamed `encodings._init_cpython` in
this standard library by ci/fetch-python), run in this module. It is imported as every program
starts, before any of the program's own code, so it is also where the sandbox adds what `os`
lacks in this build: `os.system` (through `_agentos_subprocess`, imported on the first call),
`os.getuid`/`geteuid`/`getgid`/`getegid`, which answer the sandbox's user, root (0),
`os.umask`, which keeps a mask (022 at start) as `process.umask()` does in a JS guest, and
`os.chown`/`lchown`/`fchown`, which change nothing (no owners here) once the file is found, as
a JS guest's `fs.chown` (root's `tarfile` extraction calls them), and `os.getpid`/`getppid`, the
exec tree's numbers a shell's `$$`/`$PPID` and Node's `process.pid`/`ppid` use too (this build's
`getpid` says 42, and it has no `getppid`). It also
names `sys.executable` as the command set has it (`/usr/local/bin/python3`, which a child
process can start, not the build's `python.wasm`), puts `PYTHONPATH` on `sys.path` (this build
runs isolated, which ignores it) and imports a `sitecustomize` it brings, as `site` would,
turns on the user site-packages when `HOME` is set (unless `PYTHONNOUSERSITE`)
(`$HOME/.local/lib/python3.15/site-packages`, where `pip install` puts packages here: on
`sys.path` after the standard library, its `.pth` files processed, as CPython's `site` does where
it has a home directory) and makes `pip`
importable from the pinned wheel beside the standard library (`_agentos_pip`), at no cost to a
program that does not import it.
"""

import zipimport as _zipimport

exec(_zipimport.zipimporter(__path__[0] + "/").get_code("_init_cpython"), globals())


def _install_os_system():
    import os

    if hasattr(os, "system"):
        return

    def system(command):
        """Execute the command in a subshell (a guest of the sandbox); its wait status."""
        import _agentos_subprocess

        return _agentos_subprocess.system(command)

    system.__module__ = "posix"
    os.system = system
    for name in ("getuid", "geteuid", "getgid", "getegid"):
        if not hasattr(os, name):
            setattr(os, name, _root)
    if not hasattr(os, "umask"):
        os.umask = _umask
    if not hasattr(os, "chown"):
        os.chown, os.lchown, os.fchown = _chown, _lchown, _fchown
    for name, function in (("getpid", _getpid), ("getppid", _getppid)):
        function.__name__ = function.__qualname__ = name
        function.__module__ = "posix"
        setattr(os, name, function)


_ids = []


def _process_ids():
    """This process's pid and its parent's in the exec tree (the door's `process`), asked once."""
    if not _ids:
        import _agentos_door

        head, _ = _agentos_door.call("process", {})
        _ids[:] = head["pid"], head["ppid"]
    return _ids


def _getpid():
    """Return the current process id."""
    return _process_ids()[0]


def _getppid():
    """Return the parent's process id."""
    return _process_ids()[1]


def _root():
    """The sandbox's user and group: root."""
    return 0


def _owners(uid, gid):
    for name, value in (("uid", uid), ("gid", gid)):
        if not isinstance(value, int):
            raise TypeError(f"{name} should be integer, not {type(value).__name__}")
        if value < -1:
            raise OverflowError(f"{name} is less than minimum")


def _chown(path, uid, gid, *, dir_fd=None, follow_symlinks=True):
    """Changes nothing (the sandbox has no owners), as a JS guest's `fs.chown`: the arguments are
    checked and the file must exist."""
    import os

    _owners(uid, gid)
    os.stat(path, dir_fd=dir_fd, follow_symlinks=follow_symlinks)


def _lchown(path, uid, gid):
    _chown(path, uid, gid, follow_symlinks=False)


def _fchown(fd, uid, gid):
    import os

    _owners(uid, gid)
    os.fstat(fd)


_mask = [0o022]


def _umask(mask):
    """Sets the file mode creation mask; the one before."""
    before, _mask[0] = _mask[0], int(mask) & 0o777
    return before


def _install_paths(stdlib):
    import os
    import sys

    if sys.executable.endswith("/python.wasm"):
        sys.executable = sys._base_executable = sys.executable[: -len("python.wasm")] + "python3"
    if stdlib in sys.path:
        # The packages the build bundles, in a zip of their own (ci/fetch-python): zipimport
        # reads a zip's directory whole, and most programs need only the stdlib's.
        sys.path.insert(sys.path.index(stdlib) + 1, stdlib[: -len(".zip")] + "-packages.zip")
    extra = [p for p in os.environ.get("PYTHONPATH", "").split(":") if p]
    sys.path[0:0] = extra
    home = os.environ.get("HOME")
    if home and not os.environ.get("PYTHONNOUSERSITE"):
        _user_site(home)
    sys.meta_path.append(_PipFinder(stdlib.rpartition("/")[0] + "/pip.whl"))
    if extra:
        _sitecustomize(os)


def _sitecustomize(os):
    """`site`'s `sitecustomize` hook, looked for when `PYTHONPATH` could bring one (pip's build
    environments do); an error in it is reported as `site` reports it, and start-up goes on."""
    try:
        import sitecustomize  # noqa: F401
    except ImportError as e:
        if e.name == "sitecustomize":
            return
        _report(os, e)
    except Exception as e:  # noqa: BLE001 - as `site.execsitecustomize`
        _report(os, e)


def _report(os, error):
    text = f"Error in sitecustomize; set PYTHONVERBOSE for traceback:\n{type(error).__name__}: {error}\n"
    os.write(2, text.encode("utf-8", "replace"))


def _user_site(home):
    """`site`'s user site-packages under `home`, on `sys.path` when it exists."""
    import os
    import site

    base = home.rstrip("/") + "/.local"
    site.ENABLE_USER_SITE = True
    site.USER_BASE = base
    site.USER_SITE = site._get_path(base)
    if os.path.isdir(site.USER_SITE):
        site.addsitedir(site.USER_SITE)


class _PipFinder:
    """Finds `pip` (`python3 -m pip`) in the wheel beside the stdlib, once nothing else did."""

    def __init__(self, wheel):
        self.wheel = wheel

    def find_spec(self, name, path=None, target=None):
        if name != "pip" or path is not None:
            return None
        import _agentos_pip

        return _agentos_pip.spec(self.wheel)


_install_os_system()
_install_paths(__path__[0].rpartition("/")[0])
del _install_os_system, _install_paths, _user_site, _sitecustomize, _report, _zipimport
