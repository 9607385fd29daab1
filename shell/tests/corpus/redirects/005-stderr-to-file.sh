# posix
ls nosuchfile 2> err.txt; echo $?; wc -l < err.txt
