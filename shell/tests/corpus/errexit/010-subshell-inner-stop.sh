# posix
set -e; (false; echo inner-no); echo outer-no
