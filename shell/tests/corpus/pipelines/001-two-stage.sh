# posix
cat a.txt | wc -l
