# posix
echo [ab].txt
