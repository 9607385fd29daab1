# posix
find . -name '*.txt' | sort | xargs grep -c . 2>/dev/null | sort
ls dir | xargs -n 1 sh -c 'echo "item $0"' | sort
printf '%s\n' 3 1 2 | xargs -n 1 expr 10 + | sort -n
