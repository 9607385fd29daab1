# bytes that are not UTF-8 survive $(...), read, mapfile, here-documents, redirections and argv
printf 'caf\xe9\nna\xefve\n' > latin1.txt
v=$(cat latin1.txt); echo "${#v}"; printf %s "$v" | od -An -tx1
while IFS= read -r l; do printf '[%s]' "$l"; done < latin1.txt | od -An -tx1
mapfile -t lines < latin1.txt; printf '%s|' "${lines[@]}" | od -An -tx1
cat <<END | od -An -tx1
$(printf '\xe9')-$'\xff'
END
od -An -tx1 <<< $'\xff'
printf '%s\n' "${v//$'\xe9'/e}" | od -An -tx1
tr -d '\n' < latin1.txt | wc -c
