# posix
echo "$(echo "$(echo 'deep "q"')")"
