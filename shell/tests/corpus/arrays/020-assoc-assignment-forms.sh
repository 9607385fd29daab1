# Assigning to associative arrays: +=, pairs, a scalar, conversions refused
declare -A m
m=([a]=1 [b]=2)
m+=([c]=3)
m[a]+=0
echo "${m[a]} ${m[b]} ${m[c]}"
declare -A pairs
pairs=(k1 v1 k2 "v 2")
echo "${pairs[k1]}|${pairs[k2]}"
declare -A s
s=scalar
echo "$s ${s[0]}"
x=before
declare -A x
echo "${!x[@]} ${x[0]}"
declare -a idx=(1 2)
declare -A idx 2>/dev/null
echo "indexed stays indexed: $?"
declare -A as=([k]=v)
declare -a as 2>/dev/null
echo "associative stays associative: $? ${as[k]}"
declare -rA frozen=([k]=v)
( frozen[k]=w ) 2>/dev/null
echo "read-only: $? ${frozen[k]}"
