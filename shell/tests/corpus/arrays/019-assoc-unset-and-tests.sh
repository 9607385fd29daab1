# unset of keys and of the array; -v and ${x+set} on keys; set -u on a missing key
declare -A opt=([verbose]=1 [debug]=0 ["dry run"]=1)
unset 'opt[debug]'
k="dry run"
unset "opt[$k]"
echo "${#opt[@]} ${!opt[@]}"
[[ -v opt[verbose] ]] && echo "verbose is set"
[[ -v opt[debug] ]] || echo "debug is not"
[[ ${opt[verbose]+set} ]] && echo "+set works"
echo "[${opt[nothing]-unset}]"
unset opt
echo "after unset: ${#opt[@]}"
set -u
declare -A strict=([a]=1)
echo "${strict[a]}"
( echo "${strict[b]}" ) 2>/dev/null || echo "missing key under set -u: $?"
