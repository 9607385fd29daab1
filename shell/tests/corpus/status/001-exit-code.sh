# posix
exit 42
