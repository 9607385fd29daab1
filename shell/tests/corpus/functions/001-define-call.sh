# posix
greet() { echo "hi $1"; }; greet bob
