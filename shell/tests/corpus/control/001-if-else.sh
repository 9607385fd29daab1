# posix
if false; then echo a; elif true; then echo b; else echo c; fi
