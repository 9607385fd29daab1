# posix
echo [!a].txt
