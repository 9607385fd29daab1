# posix
echo * | grep -c hidden
