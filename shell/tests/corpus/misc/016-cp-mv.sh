# posix
cp a.txt c.txt; mv c.txt d.txt; cat d.txt | head -1
