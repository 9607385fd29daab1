# posix
echo "$(echo 'a  b')"
