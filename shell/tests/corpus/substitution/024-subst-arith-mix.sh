# posix
echo $(( $(echo 4) + $(echo 5) ))
