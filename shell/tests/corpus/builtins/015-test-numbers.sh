# posix
[ 2 -gt 1 ] && [ 1 -le 1 ] && [ 3 -ne 4 ] && echo nums
