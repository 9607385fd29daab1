# posix
set -e; (false); echo no
