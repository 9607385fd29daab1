# posix
echo $(echo $(echo $(echo deep)))
