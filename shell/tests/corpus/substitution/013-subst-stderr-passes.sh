# posix
x=$(echo err >&2; echo out); echo $x
