# posix
# bash runs a command substitution without set -e; dash (POSIX) keeps it there
set -e
x=$(false; echo "after false")
echo "bash goes on: x=$x"
