# posix
echo `echo tick`
