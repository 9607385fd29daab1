# posix
g() { for a; do echo "<$a>"; done; }; f() { g "$@"; }; f 'x y' z
