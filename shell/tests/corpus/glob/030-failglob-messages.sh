# failglob's message names the line, in a one-line -c script too (stderr is not a terminal)
bash -c 'shopt -s failglob; echo start; echo *.nothing; echo "not reached"'; echo "status $?"
bash -c 'shopt -s failglob; f() { echo *.x; }; f; echo "in f: $?"; (echo *.y); echo "subshell: $?"'
bash -c 'shopt -s failglob
echo *.nothing
echo "next line: $?"'
