# posix
! (exit 3); echo $?
