# lastpipe: the last stage of a pipeline runs in this shell
echo before | read -r v; echo "without lastpipe: v=${v:-unset}"
shopt -s lastpipe
echo hello | read -r v; echo "with lastpipe: v=$v"
total=0
seq 4 | while read -r n; do total=$((total + n)); done; echo "total=$total"
printf 'b\na\n' | sort | mapfile -t lines; echo "${#lines[@]} lines: ${lines[*]}"
false | true; echo "status $? PIPESTATUS ${PIPESTATUS[*]}"
seq 3 | { read -r first; echo "first=$first"; }; echo "first after=$first"
echo x | cat; echo "external last stage: $?"
echo | { exit 3; }
echo "not reached"
