# posix
x=$(exit 9; echo no); echo "[$x] $?"
