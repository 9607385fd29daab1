# posix
for w in $(cat words.txt); do echo "<$w>"; done
