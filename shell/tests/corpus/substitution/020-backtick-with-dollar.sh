# posix
x=v; echo `echo \$x $x`
