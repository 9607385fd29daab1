# posix
x='a b c'; IFS=; set -- $x; echo $#
