"""Utility functions for copying and archiving files and directory trees.

CPython's own `shutil` (its bytecode, renamed `_shutil_cpython` in this standard library by
ci/fetch-python), run in this module, with `which` asking the sandbox for a bare name: the
command set has no files in the guest (`/bin/ls` is not a file there), so CPython's search of
`PATH` found none of its commands. `which(NAME)` is what `command -v NAME` prints in the
sandbox's shell with the same `PATH` and working directory: a command of the set as
`/bin/NAME` (or the standard directory `PATH` reaches it through), an executable file of the
mounts by its path, or None. A name with a directory part is looked at as CPython does.
"""

import _agentos_door

_agentos_door.run_cpython("_shutil_cpython", globals())
_which_file = which  # noqa: F821 (CPython's, defined by the line above)


def which(cmd, mode=os.F_OK | os.X_OK, path=None):  # noqa: F821
    """The path of the program `cmd` would run, or None."""
    if os.path.dirname(cmd):  # noqa: F821
        return _which_file(cmd, mode, path)
    if path is None:
        path = os.environ.get("PATH")  # noqa: F821
    fields = {
        "name": os.fsdecode(cmd),  # noqa: F821
        "path": None if path is None else os.fsdecode(path),  # noqa: F821
        "cwd": os.getcwd(),  # noqa: F821
    }
    found = _agentos_door.call("which", fields)[0].get("path")
    if found is None:
        return None
    return os.fsencode(found) if isinstance(cmd, bytes) else found  # noqa: F821
