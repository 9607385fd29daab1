# posix
echo long-line > o.txt; echo s > o.txt; cat o.txt
