# posix
# bash abandons the rest of the line and goes on with the next (status 1); dash exits with 2
echo $((1/0)); echo same-line
echo next $?
