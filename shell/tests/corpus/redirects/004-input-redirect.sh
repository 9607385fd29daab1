# posix
wc -l < a.txt
