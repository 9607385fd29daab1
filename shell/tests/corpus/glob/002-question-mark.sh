# posix
echo ?.txt
