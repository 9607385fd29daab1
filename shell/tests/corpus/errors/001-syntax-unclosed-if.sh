# posix
# stderr: unstable
echo before
if true; then
