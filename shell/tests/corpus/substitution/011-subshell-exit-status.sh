# posix
(exit 3; echo no); echo $?
