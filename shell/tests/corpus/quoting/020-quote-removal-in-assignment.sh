# posix
x="a b"'c d'; echo "$x"
