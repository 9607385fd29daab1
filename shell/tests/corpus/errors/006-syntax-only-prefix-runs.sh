# posix
# stderr: unstable
echo one
echo two
case x in
