# posix
f() { for i in 1 2 3; do [ $i = 2 ] && return $i; done; }; f; echo $?
