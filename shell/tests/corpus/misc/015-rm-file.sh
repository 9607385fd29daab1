# posix
rm a.txt; [ -e a.txt ] || echo removed
