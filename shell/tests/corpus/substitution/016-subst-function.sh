# posix
f() { echo from-f; }; echo $(f)
