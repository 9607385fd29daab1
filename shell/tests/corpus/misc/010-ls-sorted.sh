# posix
ls
