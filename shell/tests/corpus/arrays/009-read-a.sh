read -a w <<< "  one two   three  "
echo "${#w[@]}:${w[0]}:${w[2]}"
IFS=: read -a p <<< "a:b::c"
echo "${#p[@]} ${p[2]}-${p[3]}"
printf 'x y\nz\n' | { read -a first; echo "${first[@]}"; }
