# posix
# stderr: unstable
echo ${nope?}; echo no
