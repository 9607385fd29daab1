# posix
cd a.txt; echo $?
