# posix
echo '~' "~"
