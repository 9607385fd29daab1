# posix
x=hello; echo ${#x}; e=; echo ${#e}
