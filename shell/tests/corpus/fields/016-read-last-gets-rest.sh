# posix
echo 'one two three four' | { read a b; echo "[$a] [$b]"; }
