# posix
[ \( 1 = 1 \) ] && echo p
