# posix
echo */*/*.txt
