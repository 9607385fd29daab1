# posix
printf 'no-newline' | { read x; echo $? $x; }
