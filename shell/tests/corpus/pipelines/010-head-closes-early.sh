# posix
yes | head -3
