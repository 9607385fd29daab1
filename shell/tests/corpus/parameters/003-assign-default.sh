# posix
unset x; echo ${x:=set}; echo $x
