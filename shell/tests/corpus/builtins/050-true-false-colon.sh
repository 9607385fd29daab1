# posix
: ; echo $?; true; echo $?; false; echo $?
