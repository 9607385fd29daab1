# type -P/-p/-t/-a and which: what a name is and where its command lives
[ -n "$(type -P ls)" ] && echo "type -P ls: a path"
type -P nosuch-cmd; echo "status $?"
type -p echo; echo "type -p echo: nothing, status $?"
[ "$(type -p ls)" = "$(type -P ls)" ] && echo "type -p ls: the same path"
type -t ls echo if; echo "status $?"
f() { :; }
type -t f; type f | head -1
type -a true | head -1
type -x ls; echo "status $?"
[ "$(which ls)" = "$(type -P ls)" ] && echo "which ls: the same path"
which ls cat > /dev/null; echo "which status $?"
which nosuch-cmd; echo "which status $?"
which ls nosuch-cmd > /dev/null; echo "which status $?"
hash ls; echo "hash $?"
