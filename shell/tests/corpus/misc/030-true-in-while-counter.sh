# posix
i=0; while true; do i=$((i+1)); [ $i -ge 100 ] && break; done; echo $i
