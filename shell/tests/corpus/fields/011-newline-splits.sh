# posix
x=$(printf 'a\nb\n'); set -- $x; echo $#
