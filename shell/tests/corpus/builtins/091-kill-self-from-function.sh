# kill -INT $$ from a function: the EXIT trap runs, $? being kill's 0, then the shell dies of SIGINT (130)
trap 'echo "exit trap, status $?"' EXIT
f() { false; kill -INT $$; echo "not reached"; }
f
echo "not reached either"
