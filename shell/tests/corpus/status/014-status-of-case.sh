# posix
case a in b) ;; esac; echo $?
