# posix
d=$(cd dir; pwd); [ "$PWD" != "$d" ] && echo unchanged
