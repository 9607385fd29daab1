# posix
cd dir; cd - >/dev/null; basename $(pwd)
