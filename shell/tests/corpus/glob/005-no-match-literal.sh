# posix
echo *.nomatch
