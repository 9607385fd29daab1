# posix
grep -c a a.txt words.txt
