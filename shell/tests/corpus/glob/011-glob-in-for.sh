# posix
for f in dir/*; do echo "file: $f"; done
