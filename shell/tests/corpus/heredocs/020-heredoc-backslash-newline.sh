# posix
cat <<EOF
joined \
line
EOF
