# posix
set -e; while false; do :; done; echo ok
