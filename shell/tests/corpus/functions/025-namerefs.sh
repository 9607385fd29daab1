# declare -n / local -n: name references
x=1
declare -n r=x
echo "r=$r"
r=2; echo "x=$x"
declare -p r x
arr=(a b c)
declare -n ra=arr
echo "${ra[1]} ${#ra[@]} ${ra[@]}"
ra+=(d); echo "${arr[*]}"
ra[0]=A; echo "${arr[*]}"
push() { local -n into=$1; shift; into+=("$@"); }
list=(); push list one two; push list three; echo "${list[*]} (${#list[@]})"
setvar() { local -n out=$1; out="set by function"; }
setvar result; echo "$result"
declare -A m=([k]=v)
declare -n rm=m
echo "${rm[k]} ${!rm[*]}"
unset r; echo "x after unset r: ${x-unset}"
declare -p r
y=5; declare -n r2=y; unset -n r2; echo "y=$y r2=${r2-unset}"
declare -n bad=1abc; echo "status $?"
counter=0; declare -n c=counter; ((c++)); ((c += 5)); echo "counter=$counter"
read -r c <<< 42; echo "counter=$counter"
printf -v c '%s' printed; echo "counter=$counter"
f() { local -n v=$1; echo "${#v} ${v^^}"; }; name=abc; f name
echo "${!r} ${!ra}"
declare -n r1=r; echo "chain: $r1"
[[ -v r1 ]] && echo "-v follows"
