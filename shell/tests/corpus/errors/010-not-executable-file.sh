# posix
# stderr: unstable
./a.txt; echo $?
