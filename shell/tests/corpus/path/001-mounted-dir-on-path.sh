# posix
PATH="$PWD/bin:$PATH"
greet world
echo "status $?"
