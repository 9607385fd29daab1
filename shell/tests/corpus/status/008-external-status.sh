# posix
grep -q zzz a.txt; echo $?
