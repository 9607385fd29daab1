# posix
f() { echo f; }; (f)
