"""Subprocesses with accessible I/O streams.

CPython's own `subprocess` (its bytecode, renamed `_subprocess_cpython` in this standard library
by ci/fetch-python), run in this module, with `Popen` starting its processes as guests of the
agentos sandbox (`_agentos_subprocess`, which says what differs from CPython's).
"""

import _agentos_subprocess

_agentos_subprocess.load(globals())
del _agentos_subprocess
