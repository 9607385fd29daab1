for i in 1 2 3; do echo $((10 / $((2 - i)))); done; echo same-line
echo next $?
