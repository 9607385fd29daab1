# declare -A: keys listed in bash's own order (its hash table's), values with them
declare -A color=([apple]=red [banana]=yellow [cherry]=red [date]=brown [elder]=black)
echo "${!color[@]}"
echo "${color[@]}"
echo "${#color[@]} ${color[banana]} ${color[fig]:-none}"
color[fig]=purple
color[grape]=green
for fruit in "${!color[@]}"; do
  echo "$fruit is ${color[$fruit]}"
done
