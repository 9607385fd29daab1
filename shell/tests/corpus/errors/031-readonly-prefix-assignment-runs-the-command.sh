readonly r=1
f() { echo "f:$r"; }
r=2 f; echo status $?
r=2 true; echo status $?
r=2 printenv r; echo status $?
