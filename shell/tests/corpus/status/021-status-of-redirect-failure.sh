# posix
echo x < nosuch 2>/dev/null; echo $?
