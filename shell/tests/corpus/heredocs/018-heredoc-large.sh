# posix
i=0; { while [ $i -lt 200 ]; do echo "line $i"; i=$((i+1)); done; } > big.txt; cat <<EOF | wc -l
$(cat big.txt)
EOF
