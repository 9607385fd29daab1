# posix
n=0; while read l; do n=$((n+1)); done < words.txt; echo $n
