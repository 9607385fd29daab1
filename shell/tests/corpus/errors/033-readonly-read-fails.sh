readonly r=1
read r <<< x; echo read $? $r
read a r <<< "x y"; echo read-two $? $a $r
