# posix
echo \*.txt
