a=(alpha beta gamma delta)
echo "${#a[@]} ${#a[*]} ${#a[1]} ${#a}"
echo "${a[@]:1:2}"
echo "${a[@]:2}"
echo "${a[@]: -1}"
