# posix
touch zz.tmp aa.tmp mm.tmp; echo *.tmp
