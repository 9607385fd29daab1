# posix
{ echo b; echo a; } | sort
