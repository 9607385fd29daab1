# posix
echo data > o.txt; cat <> o.txt
