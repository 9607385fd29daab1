# posix
e=; set -- "$e"; echo $#
