# posix
true; echo $?; false; echo $?
