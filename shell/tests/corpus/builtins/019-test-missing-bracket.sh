# stderr: unstable
[ 1 = 1; echo $?
