# posix
x='a , b ,c'; IFS=' ,'; set -- $x; echo $#; echo "$1|$2|$3"
