# posix
set -e; ! true; echo ok
