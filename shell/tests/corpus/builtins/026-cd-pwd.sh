# posix
cd dir; pwd | sed "s|$HOME|~|"; cd ..; pwd | sed "s|$HOME|~|"
