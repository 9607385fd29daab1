# posix
echo $((-5+2)) $((- -3))
