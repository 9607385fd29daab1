# posix
sleep 5 & kill $!; wait $!; echo $?
