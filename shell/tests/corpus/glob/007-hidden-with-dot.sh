# posix
echo .h*
