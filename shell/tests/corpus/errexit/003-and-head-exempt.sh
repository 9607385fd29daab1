# posix
set -e; false && echo x; echo ok
