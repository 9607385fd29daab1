# posix
false; echo $?; true; echo $?
