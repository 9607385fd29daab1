# posix
x='a b'; unset IFS; set -- $x; echo $#
