# posix
false; exit
