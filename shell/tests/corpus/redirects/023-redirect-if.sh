# posix
if true; then echo in-if; fi > o.txt; cat o.txt
