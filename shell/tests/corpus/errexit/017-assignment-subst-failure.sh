# posix
set -e; x=$(false); echo no
