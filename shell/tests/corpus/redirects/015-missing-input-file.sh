# posix
cat < nosuch.txt; echo $?
