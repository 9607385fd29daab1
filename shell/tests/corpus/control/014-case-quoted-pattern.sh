# posix
x='*'; case $x in '*') echo star;; *) echo any;; esac
