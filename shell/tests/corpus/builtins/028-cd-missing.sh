# posix
cd nosuchdir; echo $?
