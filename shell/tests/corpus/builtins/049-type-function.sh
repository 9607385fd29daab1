f() { :; }; type -t f; type -t cd; type -t ls
