# posix
echo $((   1   +   1   ))
