# mapfile -s skips, -n counts, -O appends at an origin, -d splits on another delimiter
seq 1 10 | { mapfile -t -s 2 -n 3 part; echo "${part[*]} (${#part[@]})"; }
arr=(a b)
printf 'c\nd\n' | { mapfile -t -O 2 arr; echo "${arr[*]} ${!arr[*]}"; }
printf 'x,y,,z' | { mapfile -d , -t fields; echo "${#fields[@]}: ${fields[*]}"; }
printf '1\n2\n3\n' | { mapfile -n 1 first; read second; echo "first=${first[0]%$'\n'} then read=$second"; }
mapfile -t 2bad < /dev/null
echo "bad name: $?"
