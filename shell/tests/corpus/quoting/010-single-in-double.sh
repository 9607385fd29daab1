# posix
echo "it's"
