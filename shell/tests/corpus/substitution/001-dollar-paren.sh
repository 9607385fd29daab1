# posix
echo $(echo a) $(echo b)
