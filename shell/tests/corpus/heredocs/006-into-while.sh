# posix
while read a b; do echo "$b-$a"; done <<EOF
1 one
2 two
EOF
