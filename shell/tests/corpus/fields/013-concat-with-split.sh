# posix
x='1 2'; set -- a$x; echo $# $1 $2
