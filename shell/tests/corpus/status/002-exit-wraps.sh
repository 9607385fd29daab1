# posix
exit 257
