# trap: a trapped signal sent to the script runs its action after the command that sent it,
# and the script goes on; an ignored one does nothing; exit in an action ends the script
trap 'echo "caught TERM, status $?"' TERM
false
kill -TERM $$
echo "after TERM"
trap '' INT
kill -INT $$
echo "after ignored INT"
trap 'echo usr1' USR1
( kill -USR1 $$ )
echo "after a subshell signalled the script"
f() { trap 'echo hup in f' HUP; kill -HUP $$; echo "f goes on"; }
f
trap 'echo quit; exit 7' QUIT
trap 'echo "exit trap, status $?"' EXIT
kill -QUIT $$
echo "not reached"
