s=word
s[1]=more
echo "${s[@]} ${#s[@]}"
x=(1 2 3)
x=five
echo "${x[@]}"
echo "${y[@]:-empty}" "${#y[@]}"
set -u
z=()
echo "count ${#z[@]}"
