# posix
exec 3> o.txt; echo via3 >&3; exec 3>&-; cat o.txt
