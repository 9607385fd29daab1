"""pip in the agentos sandbox: the pinned wheel beside the standard library (ci/fetch-python),
found by the startup hook's finder (python/lib/encodings) when a program imports `pip` (the
commands `pip` and `pip3` run its console script, python/scripts).

Defaults pip needs here, set in the environment (a caller's own setting wins): no HTTP cache
(its cache maps files into memory, and this build has no `mmap`), no progress bars (they draw
from a thread, and this build has none), no check for a newer pip, no
warning about running as root (the sandbox's user is root), no `truststore` (it needs a
platform's certificate store; pip's own certifi bundle is used, or `PIP_CERT`), and a home
directory when none is set (pip's paths need one).

Where packages go: the standard library's own `site-packages` is read-only, so when the caller
set `HOME`, pip installs to the user site-packages under it (`$HOME/.local/lib/python3.15/
site-packages`, which the startup hook puts on `sys.path` of every later program), as pip does
on a system whose site-packages is not writable; `--target DIR` with `PYTHONPATH=DIR` works
too. This build's `sysconfig` has no user scheme (CPython gives WASI no home directory): it is
added as CPython defines it for POSIX.

A few of pip's modules get a fix once they are executed (`FIXES`): its writable-directory test
creates a file (`os.access` here answers "writable" for a read-only mount too), its TLS probe
(it looks for `_ssl`, which this build lacks; our `ssl` does TLS) answers yes where it decides
whether to warn, distlib does not try to read the interpreter (not a file in the guest), the
modes pip gives scripts and executables are set through the door's `chmod` (this build's
`os.chmod` changes nothing, and `os.stat` has no permission bits to start from: the mode is the
umask's), and a read-only install location's error says where packages can go.
"""

import errno
import os
import sys
import zipimport

import _agentos_door

DEFAULTS = {
    "PIP_NO_CACHE_DIR": "1",
    "PIP_PROGRESS_BAR": "off",
    "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    "PIP_ROOT_USER_ACTION": "ignore",
    "PIP_USE_DEPRECATED": "legacy-certs",
    "HOME": "/",
}


def spec(wheel):
    """The module spec of `pip` in `wheel`, or None when it is not there."""
    try:
        importer = zipimport.zipimporter(wheel)
    except (zipimport.ZipImportError, OSError):
        return None
    if not any(isinstance(finder, _AfterImport) for finder in sys.meta_path):
        _set_up()
    return importer.find_spec("pip")


def _set_up():
    """What pip needs here, once per program (`python3 -m pip` looks for `pip` twice)."""
    import site

    if site.ENABLE_USER_SITE and site.USER_BASE:
        _user_scheme(site.USER_BASE)
    for name, value in DEFAULTS.items():
        os.environ.setdefault(name, value)
    sys.meta_path.insert(0, _AfterImport())


def _user_scheme(base):
    """`sysconfig`'s POSIX user scheme under `base`, as CPython defines it where there is one."""
    import sysconfig

    lib = "{implementation_lower}{py_version_short}{abi_thread}"
    sysconfig._INSTALL_SCHEMES["posix_user"] = {
        "stdlib": "{userbase}/{platlibdir}/" + lib,
        "platstdlib": "{userbase}/{platlibdir}/" + lib,
        "purelib": "{userbase}/lib/" + lib + "/site-packages",
        "platlib": "{userbase}/lib/" + lib + "/site-packages",
        "include": "{userbase}/include/" + lib,
        "scripts": "{userbase}/bin",
        "data": "{userbase}",
    }
    sysconfig._HAS_USER_BASE = True
    sysconfig._USER_BASE = base
    sysconfig._getuserbase = lambda: base
    if sysconfig._CONFIG_VARS is not None:
        sysconfig._CONFIG_VARS["userbase"] = base


def _writable(path):
    """Whether a file can be made in `path` (pip's `test_writable_dir`, by trying)."""
    while not os.path.isdir(path):
        parent = os.path.dirname(path)
        if parent == path:
            break
        path = parent
    probe = os.path.join(path, f".agentos-pip-probe-{os.getpid()}")
    try:
        fd = os.open(probe, os.O_RDWR | os.O_CREAT | os.O_EXCL)
    except FileExistsError:
        return True
    except OSError:
        return False
    os.close(fd)
    os.unlink(probe)
    return True


def _fix_filesystem(module):
    module.test_writable_dir = _writable


def _fix_search_scope(module):
    module.has_tls = lambda: True


def _fix_scripts(module):
    probe = module.ScriptMaker._is_shell

    def _is_shell(self, executable):
        return False if executable == sys.executable else probe(self, executable)

    module.ScriptMaker._is_shell = _is_shell


def _default_mode(executable):
    """A new file's mode under the umask, with every `x` bit when `executable`."""
    mask = os.umask(0)
    os.umask(mask)
    return (0o666 & ~mask) | (0o111 if executable else 0)


def _fix_unpacking(module):
    def set_extracted_file_to_default_mode_plus_executable(path):
        _agentos_door.chmod(path, _default_mode(True))

    module.set_extracted_file_to_default_mode_plus_executable = (
        set_extracted_file_to_default_mode_plus_executable
    )


def _fix_fileop(module):
    def set_mode(self, bits, mask, files):
        for name in files if not self.dry_run else ():
            _agentos_door.chmod(name, (_default_mode(False) | bits) & mask)

    module.FileOperator.set_mode = set_mode


def _fix_install(module):
    message = module.create_os_error_message

    def create_os_error_message(error, show_traceback, using_user_site):
        text = message(error, show_traceback, using_user_site)
        return text + _where_packages_go(error, using_user_site)

    module.create_os_error_message = create_os_error_message


def _where_packages_go(error, using_user_site):
    """A line saying where packages can go, when the install location cannot be written."""
    ways = "or install with --target DIR and run with PYTHONPATH=DIR.\n"
    if using_user_site and error.errno in (errno.EROFS, errno.EACCES, errno.ENOENT):
        home = os.environ.get("HOME", "")
        return f"HOME ({home}) is not writable in this sandbox: set HOME to a writable directory, {ways}"
    if error.errno == errno.EROFS:
        return (
            "The standard library's site-packages is read-only in this sandbox: set HOME to a "
            "writable directory (pip then installs to $HOME/.local/lib/python3.15/site-packages, "
            f"which python3 searches), {ways}"
        )
    return ""


FIXES = {
    "pip._internal.utils.filesystem": _fix_filesystem,
    "pip._internal.models.search_scope": _fix_search_scope,
    "pip._vendor.distlib.scripts": _fix_scripts,
    "pip._vendor.distlib.util": _fix_fileop,
    "pip._internal.utils.unpacking": _fix_unpacking,
    "pip._internal.commands.install": _fix_install,
}


class _AfterImport:
    """Finds the modules of `FIXES` with the finders after it and runs the fix on each once
    it is executed."""

    def find_spec(self, name, path=None, target=None):
        fix = FIXES.get(name)
        if fix is None:
            return None
        for finder in sys.meta_path:
            find = getattr(finder, "find_spec", None)
            if isinstance(finder, _AfterImport) or find is None:
                continue
            found = find(name, path, target)
            if found is not None:
                found.loader = _Fixing(found.loader, fix)
                return found
        return None


class _Fixing:
    """A loader that runs `fix` on the module its own loader executed."""

    def __init__(self, loader, fix):
        self._loader = loader
        self._fix = fix

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module):
        self._loader.exec_module(module)
        self._fix(module)

    def __getattr__(self, name):
        return getattr(self._loader, name)
