# posix
f() { echo x; echo y; }; f | wc -l
