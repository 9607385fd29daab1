# posix
! false && echo negated; ! true; echo $?
