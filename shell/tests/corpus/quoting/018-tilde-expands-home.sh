# posix
[ ~ = "$HOME" ] && echo same
