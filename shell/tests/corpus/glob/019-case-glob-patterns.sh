# posix
for w in apple bob 42; do case $w in a*) echo A;; [0-9]*) echo N;; *) echo O;; esac; done
