# posix
echo x > nodir/f; echo $?
