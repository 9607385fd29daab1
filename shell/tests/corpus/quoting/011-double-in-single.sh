# posix
echo '"x"'
