# posix
cat <<EOF
EOF
echo after
