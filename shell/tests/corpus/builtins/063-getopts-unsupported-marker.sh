# posix
echo skip-getopts
