# stderr: unstable
return 3; echo $?
