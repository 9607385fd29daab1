# posix
export Z_VAR=zz; env | grep '^Z_VAR='
