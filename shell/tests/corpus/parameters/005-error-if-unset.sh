# posix
unset x; echo ${x:?is missing}; echo notreached
