# posix
f() { exit 3; }; f; echo no
