# posix
echo */
