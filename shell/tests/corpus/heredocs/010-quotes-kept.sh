# posix
cat <<EOF
'single' "double"
EOF
