# posix
readonly r=1
r=2; echo same-line
echo next $? $r
