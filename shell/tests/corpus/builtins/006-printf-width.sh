# posix
printf '[%5s][%-5s][%05d]\n' ab cd 42
