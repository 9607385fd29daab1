# posix
x=5; echo $(echo $x)
