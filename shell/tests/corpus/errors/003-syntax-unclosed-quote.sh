# posix
# stderr: unstable
echo 'unterminated
