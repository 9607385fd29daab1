# posix
printf 'a\\b\n' | { read -r x; echo "$x"; }; printf 'a\\b\n' | { read x; echo "$x"; }
