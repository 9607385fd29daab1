# posix
> o.txt echo pre; cat o.txt
