# hash: nothing is remembered (lookups are fresh); unknown names are errors
hash
hash -r
echo "forget: $?"
hash cat sort
echo "known: $?"
hash no-such-command-here
echo "unknown: $?"
f() { :; }
hash f echo
echo "function and builtin: $?"
hash -r
hash
