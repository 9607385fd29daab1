# stderr: unstable
printf '%d\n' abc; echo $?
