# stderr: unstable
# posix
sh -c 'kill -9 $$'; echo $?
