# posix
echo to-out > /dev/stdout
