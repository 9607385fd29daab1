# posix
echo a | grep -q a && echo found
