# posix
set -e; i=0; until [ $i = 1 ]; do i=1; done; echo ok
