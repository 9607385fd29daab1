# posix
nosuch_cmd_xyz; echo went-on
