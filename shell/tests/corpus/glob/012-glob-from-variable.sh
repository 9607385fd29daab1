# posix
p='*.csv'; echo $p
