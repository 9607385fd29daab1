# posix
kind() { case $1 in *.txt) echo text;; *.md) echo md;; *) echo other;; esac; }; for f in a.txt dir/x.md data.csv; do kind $f; done
