# posix
# stderr: unstable
./nosuch; echo $?
