# posix
[ "$PWD" = "$(pwd)" ] && echo same
