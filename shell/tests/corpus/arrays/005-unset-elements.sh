a=(p q r s)
unset 'a[1]'
echo "${#a[@]} ${!a[@]} ${a[@]}"
unset 'a[-1]'
echo "${!a[@]}"
unset a
echo "${#a[@]}|${a[0]-gone}"
