# posix
set -- '' "" x; echo $#
