a=(one)
a+=(two three)
a[10]=ten
a+=(eleven)
echo "${#a[@]} ${!a[@]}"
echo "${a[@]}"
a[1]+=X
echo "${a[1]}"
