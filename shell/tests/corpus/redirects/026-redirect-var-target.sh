# posix
f=o.txt; echo v > "$f"; cat o.txt
