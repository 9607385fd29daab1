# posix
unset x; set -- ${x:-a b c}; echo $#
