# posix
cat <<EOF
cost: \$5 and \\ backslash
EOF
