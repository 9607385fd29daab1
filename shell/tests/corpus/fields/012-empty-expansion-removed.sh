# posix
e=; set -- $e $e x $e; echo $#
