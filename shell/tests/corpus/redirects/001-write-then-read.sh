# posix
echo hi > o.txt; cat o.txt
