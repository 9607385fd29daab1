# posix
ls nosuchfile 2>/dev/null; echo $?
