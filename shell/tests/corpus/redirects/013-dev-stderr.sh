# posix
echo to-err > /dev/stderr
