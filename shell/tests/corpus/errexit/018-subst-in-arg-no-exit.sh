# posix
set -e; echo "[$(false)]"; echo ok
