# posix
set -e; false || echo rescued; echo ok
