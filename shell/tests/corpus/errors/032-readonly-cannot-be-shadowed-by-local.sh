readonly r=1
f() { local r=2; echo "in $? $r"; }
f; echo after $?
