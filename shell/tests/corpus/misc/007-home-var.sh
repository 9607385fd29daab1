# posix
[ -d "$HOME" ] && echo home
