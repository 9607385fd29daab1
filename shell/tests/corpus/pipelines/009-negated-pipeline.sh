# posix
! echo x | grep -q y; echo $?
