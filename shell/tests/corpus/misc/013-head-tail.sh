# posix
head -2 a.txt; tail -1 b.txt
