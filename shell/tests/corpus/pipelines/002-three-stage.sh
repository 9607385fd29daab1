# posix
cat numbers.txt | sort -n | tail -1
