# posix
echo one two | wc -w
PATH="$PWD/bin:$PATH"
echo one two | wc -w
PATH=/usr/bin:/bin
echo one two three | wc -w
