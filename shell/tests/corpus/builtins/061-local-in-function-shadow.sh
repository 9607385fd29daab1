f() { local i; for i in 1 2; do :; done; }; i=x; f; echo $i
