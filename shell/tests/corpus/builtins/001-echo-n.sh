# posix
echo -n a; echo b
