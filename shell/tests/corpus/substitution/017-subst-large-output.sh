# posix
x=$(seq 1 20000); echo ${#x}
