a=("a b" c "" d)
printf '<%s>\n' "${a[@]}"
printf '[%s]\n' "${a[*]}"
IFS=,; printf '{%s}\n' "${a[*]}"; unset IFS
printf '(%s)\n' ${a[@]}
