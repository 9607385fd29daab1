# posix
printf '%b\n' 'x\ty'
