# posix
wc -l a.txt b.txt
