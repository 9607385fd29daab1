# posix
cat b.txt | while read x; do echo "<$x>"; done
