# posix
# stderr: unstable
while true; done
