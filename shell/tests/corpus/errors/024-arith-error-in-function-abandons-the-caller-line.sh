f() { echo $((2 % 0)); echo in-f; }
f; echo same-line
echo next $?
