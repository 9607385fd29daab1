# posix
printf '%s|%d|\n'
