# Writes, into the directory argv[1], a source distribution whose build needs a backend from
# the same index (sidecar/tests/all/python_pip.rs): `tiny_sdist-1.0.tar.gz` (pyproject.toml
# requiring `tiny-backend`, a module printing ANSWER = 43) and the backend's wheel,
# `tiny_backend-1.0-py3-none-any.whl`, whose PEP 517 `build_wheel` zips the module.
import io
import pathlib
import sys
import tarfile
import zipfile

out = pathlib.Path(sys.argv[1])

BACKEND = '''
import os, zipfile

def get_requires_for_build_wheel(config_settings=None):
    return []

def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    name = "tiny_sdist-1.0-py3-none-any.whl"
    info = "tiny_sdist-1.0.dist-info"
    files = {
        "tiny_sdist/__init__.py": open("tiny_sdist/__init__.py").read(),
        info + "/METADATA": "Metadata-Version: 2.1\\nName: tiny-sdist\\nVersion: 1.0\\n",
        info + "/WHEEL": "Wheel-Version: 1.0\\nGenerator: tiny\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n",
    }
    files[info + "/RECORD"] = "".join(f + ",,\\n" for f in files) + info + "/RECORD,,\\n"
    with zipfile.ZipFile(os.path.join(wheel_directory, name), "w") as z:
        for path, text in files.items():
            z.writestr(path, text)
    return name
'''


def wheel(path, files):
    with zipfile.ZipFile(path, "w") as z:
        for name, text in files.items():
            z.writestr(name, text)


info = "tiny_backend-1.0.dist-info"
backend = {
    "tiny_backend.py": BACKEND,
    info + "/METADATA": "Metadata-Version: 2.1\nName: tiny-backend\nVersion: 1.0\n",
    info + "/WHEEL": "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
}
backend[info + "/RECORD"] = "".join(f + ",,\n" for f in backend) + info + "/RECORD,,\n"
wheel(out / "tiny_backend-1.0-py3-none-any.whl", backend)

source = {
    "pyproject.toml": '[build-system]\nrequires = ["tiny-backend"]\nbuild-backend = "tiny_backend"\n'
    '\n[project]\nname = "tiny-sdist"\nversion = "1.0"\n',
    "PKG-INFO": "Metadata-Version: 2.1\nName: tiny-sdist\nVersion: 1.0\n",
    "tiny_sdist/__init__.py": "ANSWER = 43\n",
}
with tarfile.open(out / "tiny_sdist-1.0.tar.gz", "w:gz") as tar:
    for name, text in source.items():
        data = text.encode()
        member = tarfile.TarInfo("tiny_sdist-1.0/" + name)
        member.size = len(data)
        member.uid = member.gid = 1000
        tar.addfile(member, io.BytesIO(data))
