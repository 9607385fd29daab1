# stderr: unstable
[ a -eq 1 ]; echo $?
