# posix
cd dir/sub; cd ../..; [ "$PWD" = "$HOME" ] && echo back
