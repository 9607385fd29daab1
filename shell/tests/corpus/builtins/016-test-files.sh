# posix
[ -f a.txt ] && echo f; [ -d dir ] && echo d; [ -e nosuch ] || echo nx; [ -s empty.txt ] || echo empty
