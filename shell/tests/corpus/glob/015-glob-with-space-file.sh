# posix
for f in my*; do cat "$f"; done
