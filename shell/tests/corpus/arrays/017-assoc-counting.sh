# Counting with an associative array: ((n[$k]++)) with keys the arithmetic grammar cannot hold
declare -A n
for f in a.txt b.md a.txt c-d.txt b.md a.txt "with space"; do
  (( n[$f]++ ))
done
for k in "${!n[@]}"; do printf '%s=%s\n' "$k" "${n[$k]}"; done | sort
echo "$(( n[a.txt] * 10 + n[b.md] ))"
(( n[b.md] += 5 ))
key=c-d.txt
echo "${n[b.md]} $(( n[$key] ))"
declare -A total=([x]=1)
total[x]=$(( ${total[x]} + 41 ))
echo "${total[x]}"
