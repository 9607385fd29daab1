# posix
if x=1; [ $x = 1 ]; then echo ok; fi
