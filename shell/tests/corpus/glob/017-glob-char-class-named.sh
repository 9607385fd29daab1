# posix
touch f1 f2 fa; echo f[[:digit:]]
