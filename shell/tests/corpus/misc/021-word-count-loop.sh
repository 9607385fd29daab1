# posix
n=0; for w in $(cat words.txt); do n=$((n+1)); done; echo $n
