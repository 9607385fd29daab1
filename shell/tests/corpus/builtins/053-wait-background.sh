# posix
(sleep 0.1; echo bg) & echo fg; wait; echo done
