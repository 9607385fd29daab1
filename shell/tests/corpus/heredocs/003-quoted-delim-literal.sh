# posix
x=val; cat <<'EOF'
no $x expansion `here`
EOF
