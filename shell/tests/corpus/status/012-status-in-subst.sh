# posix
echo $(false; echo $?)
