# posix
echo 1 > o.txt; echo 2 >> o.txt; cat o.txt
