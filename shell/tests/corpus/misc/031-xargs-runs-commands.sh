# posix
printf '%s\n' a.txt b.txt | xargs cat
printf '%s\n' one two three four five | xargs -n 2 echo pair:
printf 'x y\nz\n' | xargs -I{} echo "<{}>"
printf '%s\n' a.txt nosuch.txt | xargs wc -l 2>/dev/null; echo "status $?"
echo done | xargs false; echo "status $?"
echo x | xargs nosuch-command-here 2>/dev/null; echo "status $?"
