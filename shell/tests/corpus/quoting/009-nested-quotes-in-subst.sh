# posix
echo "$(echo "inner 'q'")"
