# posix
set -e; trap 'echo cleanup' EXIT; false; echo no
