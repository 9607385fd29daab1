# posix
ls nosuch 2>/dev/null | cat; echo $?
