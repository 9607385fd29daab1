# mapfile/readarray: lines into an array, -t strips the newline, MAPFILE by default
printf 'one\ntwo words\n\nfour' > mapfile.txt
mapfile -t lines < mapfile.txt
echo "${#lines[@]}: [${lines[0]}] [${lines[1]}] [${lines[2]}] [${lines[3]}]"
mapfile kept < mapfile.txt
printf '<%s>' "${kept[@]}"; echo
readarray < mapfile.txt
echo "MAPFILE ${#MAPFILE[@]}"
printf 'a\nb\nc\n' | { mapfile -t piped; echo "${piped[*]}"; }
old=(x y z w)
mapfile -t old <<< "only"
echo "replaced: ${#old[@]} ${old[*]}"
mapfile -t empty < /dev/null
echo "empty: ${#empty[@]}"
rm -f mapfile.txt
