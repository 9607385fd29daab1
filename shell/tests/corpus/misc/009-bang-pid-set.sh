# posix
sleep 0 & [ -n "$!" ] && echo has-pid; wait
