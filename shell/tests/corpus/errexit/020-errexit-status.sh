# posix
set -e; (exit 7); echo no
