# posix
count() { wc -l; }; cat a.txt b.txt | count
