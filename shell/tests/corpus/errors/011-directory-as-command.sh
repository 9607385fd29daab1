# posix
# stderr: unstable
./dir; echo $?
