# posix
echo *.txt
