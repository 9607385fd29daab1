# posix
echo x > dir; echo $?
