# posix
nosuch_cmd_xyz
