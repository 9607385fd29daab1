# posix
printf '100%%\n'
