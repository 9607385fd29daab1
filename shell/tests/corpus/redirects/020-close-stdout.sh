# stderr: unstable
echo x >&-; echo $?
