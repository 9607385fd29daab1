# posix
PATH="$PWD/nowhere" greet hidden 2>/dev/null
echo "status $?"
PATH="$PWD/bin" greet prefixed
echo "status $?"
