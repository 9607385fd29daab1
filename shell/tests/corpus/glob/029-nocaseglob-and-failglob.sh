# nocaseglob and failglob: patterns matching either case; a pattern matching nothing abandons its command
shopt -s nocaseglob
echo *.TXT
echo D*
shopt -u nocaseglob
echo *.TXT
shopt -s failglob
(echo *.nope); echo "subshell $?"
x=$(echo *.nope); echo "cmdsubst $?"
echo *.txt | wc -w
f() { echo *.none; echo "in f after"; }
f
echo "after f $?"
for x in *.none; do echo "$x"; done
echo "after for $?"
shopt -s nullglob
echo *.nope; echo "failglob wins: $?"
