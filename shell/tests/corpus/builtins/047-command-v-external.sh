# posix
command -v ls
