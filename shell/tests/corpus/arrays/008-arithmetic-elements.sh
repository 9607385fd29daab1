n=(3 4)
echo $(( n[0] * n[1] ))
(( n[2] = n[0] + n[1] ))
(( n[0]++ ))
echo "${n[@]}"
i=0
while (( i < 3 )); do sq[i]=$(( i * i )); (( i++ )); done
echo "${sq[@]}"
