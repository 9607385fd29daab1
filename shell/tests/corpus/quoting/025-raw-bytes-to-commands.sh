# a command's argv and environment get the raw bytes
export B=$'\xe9x'
printenv B | od -An -tx1
printf '%s' $'\xff\xfe' | wc -c
echo $'\xe9' | cat | od -An -tx1
