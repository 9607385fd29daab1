readonly r=1
for r in 1 2; do echo "body $r"; done; echo same-line $?
echo next $?
