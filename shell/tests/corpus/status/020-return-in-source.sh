# posix
echo 'return 4; echo no' > r.sh; . ./r.sh; echo $?
