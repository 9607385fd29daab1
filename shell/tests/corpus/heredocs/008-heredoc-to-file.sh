# posix
cat > o.txt <<EOF
stored
EOF
cat o.txt
