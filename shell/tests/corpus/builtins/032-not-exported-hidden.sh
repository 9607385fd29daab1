# posix
BAR=baz; sh -c 'echo [$BAR]'
