# posix
. ./lib.sh one two; echo $val
