# posix
printf 'a\nb\n' | xargs echo
