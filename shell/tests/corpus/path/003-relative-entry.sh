# posix
PATH=bin greet relative
PATH=./bin:/usr/bin:/bin
greet again
