"""pip in the agentos sandbox: the pinned wheel beside the standard library (ci/fetch-python),
found by the startup hook's finder (python/lib/encodings) when a program imports `pip`.

Defaults pip needs here, set in the environment (a caller's own setting wins): no HTTP cache
(its cache maps files into memory, and this build has no `mmap`), no progress bars (they draw
from a thread, and this build has none), no check for a newer pip, no
warning about running as root (the sandbox's user is root), no `truststore` (it needs a
platform's certificate store; pip's own certifi bundle is used, or `PIP_CERT`), and a home
directory when none is set (pip's paths need one). pip still warns that "the ssl module in
Python is not available": it probes `_ssl`, which this build lacks (our `ssl` works), and its
user agent reads that module's version when the probe succeeds, so the probe is left alone. Packages land where `--target` says; the standard library's own
`site-packages` is read-only, so install with `--target DIR` and put DIR on `PYTHONPATH`.
"""

import os
import zipimport

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
    for name, value in DEFAULTS.items():
        os.environ.setdefault(name, value)
    return importer.find_spec("pip")

