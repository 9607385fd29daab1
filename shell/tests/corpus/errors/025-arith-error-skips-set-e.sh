set -e
x=$((1/0)); echo same-line
echo next $?
