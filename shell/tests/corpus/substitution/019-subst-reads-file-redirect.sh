x=$(< a.txt); echo $x
