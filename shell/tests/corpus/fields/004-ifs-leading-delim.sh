# posix
x=':a'; IFS=:; set -- $x; echo $# "[$1]"
