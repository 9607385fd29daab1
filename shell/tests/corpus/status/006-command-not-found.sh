# posix
nosuchcommand; echo $?
