# stderr: unstable
f='a b'; echo x > $f; echo $?
