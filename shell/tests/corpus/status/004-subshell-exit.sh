# posix
(exit 5); echo $?
