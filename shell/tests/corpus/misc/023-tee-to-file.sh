# posix
echo teed | tee t.txt; cat t.txt
