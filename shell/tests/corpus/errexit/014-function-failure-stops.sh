# posix
set -e; f() { false; echo no; }; f; echo no2
