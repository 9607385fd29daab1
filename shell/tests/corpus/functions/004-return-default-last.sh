# posix
f() { false; return; }; f; echo $?
