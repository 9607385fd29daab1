# /dev/full: every write fails with ENOSPC, reported by the builtin that wrote; /dev/null takes all
echo lost > /dev/full
echo "echo: $?"
printf 'x' > /dev/full
echo "printf: $?"
{ echo a; echo b; } > /dev/null
echo "null: $?"
cat /dev/null > /dev/full
echo "nothing to write: $?"
