# declare -p of associative arrays: bash's order, keys quoted only when they must be
declare -A a=([plain]=1 ["two words"]=2 [q\"uote]='a"b' ['$dollar']='$x' [~tilde]=3 [a~]=4 [#hash]=5 [b#]=6 [-]=7 [@]=8)
declare -p a
declare -A empty=()
declare -p empty
f() {
  local -A inner=([k]=v)
  inner[k2]="v 2"
  declare -p inner
}
f
declare -p inner 2>/dev/null || echo "inner is gone"
