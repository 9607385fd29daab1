# posix
command -v cd; command -v nosuchcmd; echo $?
