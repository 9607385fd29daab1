# posix
echo "a\$b \\ \" \x"
