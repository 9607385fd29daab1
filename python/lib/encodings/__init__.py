"""Standard "encodings" Package.

CPython's own `encodings` package (its `__init__` bytecode, renamed `encodings._init_cpython` in
this standard library by ci/fetch-python), run in this module. It is imported as every program
starts, before any of the program's own code, so it is also where the sandbox adds what `os`
lacks in this build: `os.system` (through `_agentos_subprocess`, imported on the first call).
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


_install_os_system()
del _install_os_system, _zipimport
