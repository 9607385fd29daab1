# stderr: unstable
echo ${x!}; echo no
