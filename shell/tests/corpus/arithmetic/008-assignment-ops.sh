# posix
x=1; : $((x+=4)); echo $x; : $((x*=3)); echo $x
