# posix
f=a.tar.gz; cat <<EOF
${f%%.*} ${#f}
EOF
