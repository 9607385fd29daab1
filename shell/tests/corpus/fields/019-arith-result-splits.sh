# posix
IFS=1; echo $((111+1))x
