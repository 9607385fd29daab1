# posix
set -e; true && false; echo no
