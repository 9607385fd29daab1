# trap ERR: runs for a failing command where set -e would count it, with $? set
trap 'echo "ERR status $? at line $LINENO"' ERR
false
{ false; }
if false; then :; fi
false || true
true && false
f() { false; echo "in f, no trap without set -E"; return 3; }
f
(exit 4)
echo "after: $?"
trap
trap - ERR
false
echo "cleared"
