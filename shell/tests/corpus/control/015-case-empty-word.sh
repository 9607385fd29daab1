# posix
case '' in '') echo empty;; esac
