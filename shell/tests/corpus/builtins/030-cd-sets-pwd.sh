# posix
cd dir/sub && echo ${PWD##*/}
