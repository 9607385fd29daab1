# posix
f() { y=set; }; f; echo $y
