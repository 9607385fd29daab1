# posix
# stderr: unstable
echo a
echo )
echo c
