# posix
# stderr: unstable
fi
