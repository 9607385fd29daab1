# posix
set -e; { false; echo no; }; echo no2
