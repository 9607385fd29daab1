# posix
unset x; echo ${x:-def} ${x-def2}
