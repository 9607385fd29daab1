# posix
a=1; unset a; echo [${a-unset}]
