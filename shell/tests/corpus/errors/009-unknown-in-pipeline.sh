# posix
nosuch_cmd_xyz | cat; echo $?
