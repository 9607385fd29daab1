# posix
false; f() { :; }; echo $?
