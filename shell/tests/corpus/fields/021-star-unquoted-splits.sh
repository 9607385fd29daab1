# posix
set -- 'a b' c; set -- $*; echo $#
