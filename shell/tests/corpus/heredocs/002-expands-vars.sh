# posix
x=val; cat <<EOF
x is $x and $(echo sub) and $((1+1))
EOF
