PATH="$PWD/bin:$PATH"
notexec 2>/dev/null
echo "status $?"
no-such-command-anywhere 2>/dev/null
echo "status $?"
