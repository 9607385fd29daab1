g=(global)
f() {
  local -a l=(p q)
  local g=(shadow s2)
  l+=(r)
  echo "${l[@]} ${g[@]}"
}
f
echo "${g[@]}"
declare -a d
d[2]=x
declare -p d
e=(1 "two words")
declare -p e
readonly r=(1 2)
declare -p r
