# posix
x='a:b::c'; IFS=:; set -- $x; echo $#; for i in "$@"; do echo "[$i]"; done
