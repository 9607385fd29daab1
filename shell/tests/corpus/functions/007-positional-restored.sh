# posix
set -- outer; f() { echo $1 $#; }; f a b; echo $1 $#
