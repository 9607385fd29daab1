# posix
x=5; echo $((x>3?10:20))
