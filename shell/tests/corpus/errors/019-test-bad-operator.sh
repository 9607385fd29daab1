# stderr: unstable
[ 1 -foo 2 ]; echo $?
