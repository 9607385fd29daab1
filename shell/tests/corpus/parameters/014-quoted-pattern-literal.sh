# posix
v='a*b*c'; echo ${v#'a*'} ${v#a*}
