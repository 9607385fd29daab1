# posix
if false; then :; fi; echo $?
