# posix
nosuch_cmd_xyz 2> e.txt; grep -c 'not found' e.txt
