# jobs: a script's background jobs, job specs (%N %% %+ %- %NAME %?TEXT) for kill and wait, no fg/bg
sleep 3 & sleep 4 & (exit 3) & true & sleep 1
jobs
jobs -p | wc -l
kill %1; wait %1; echo "wait %1: $?"
jobs
kill %%; wait
jobs; echo "empty: $?"
fg; echo "fg $?"
bg; echo "bg $?"
disown %9; echo "disown $?"
wait %5; echo "wait %5: $?"
kill %9; echo "kill %9: $?"
sleep 5 & kill %sle; wait $!; echo "by name: $?"
{ sleep 1; echo x; } & ( sleep 1 | cat ) & jobs
kill %?echo %2; wait
(exit 4) & sleep 0.5; jobs; wait $!; echo "ended: $?"
