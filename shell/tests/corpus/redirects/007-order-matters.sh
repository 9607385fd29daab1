# posix
{ echo out; echo err >&2; } > o.txt 2>&1; sort o.txt
