# posix
set -e; false | true; echo ok
