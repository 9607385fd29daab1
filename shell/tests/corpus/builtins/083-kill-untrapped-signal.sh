# an untrapped TERM ends the script with 143 after its EXIT trap; a trap reset with - is untrapped
trap 'echo term' TERM
trap - TERM
trap 'echo "exit trap"' EXIT
echo before
kill -TERM $$
echo "not reached"
