# wait -n: the next background job to end, its status (-p VAR: its pid), 127 with none left
# (the jobs end after the wait starts: bash forgets one that ended before, racily)
wait -n; echo "none: $?"
sleep 1 & (sleep 0.3; exit 3) & sleep 0.6 &
wait -n; echo "first: $?"
wait -n -p who; echo "second: $? ${who:+a pid}"
wait -n; echo "third: $?"
wait -n; echo "after all: $?"
for i in 1 2 3 4; do (sleep "0.$((i * 2))"; exit $i) & done
n=0; while wait -n; s=$?; [ $s -ne 127 ]; do n=$((n + s)); done; echo "sum $n"
