# posix
echo '*.txt' "*.txt"
