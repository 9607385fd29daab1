# posix
unset PATH
PATH="$PWD/bin:/usr/bin:/bin"
greet unexported
echo "status $?"
