# declare -f / -F and type show functions; the text of declare -f defines them again
greet() { echo "hello $1"; }
count() { local n=0; for i in "$@"; do n=$((n + 1)); done; if [ "$n" -gt 1 ]; then echo "$n args"; else echo "one arg"; fi; }
declare -f greet
type greet
declare -F
declare -F greet count
declare -f nosuch; echo "status=$?"
saved=$(declare -f count)
unset -f count
eval "$saved"
count a b c
bash -c "$(declare -f greet); greet child"
typeset -f greet | head -1
