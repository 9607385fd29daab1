# posix
echo ./*.csv
