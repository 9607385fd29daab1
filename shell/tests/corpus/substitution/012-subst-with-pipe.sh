# posix
echo $(cat a.txt | wc -l)
