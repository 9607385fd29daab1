# stderr: unstable
cd a b; echo $?
