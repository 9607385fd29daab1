let x=3*4 y=x+1; echo $x $y; let 0; echo $?
