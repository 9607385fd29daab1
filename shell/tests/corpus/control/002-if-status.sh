# posix
if [ 1 -eq 2 ]; then echo y; fi; echo $?
