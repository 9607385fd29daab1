# \xHH and \NNN escapes are bytes, not characters: printf, echo -e, %b and $'...' write them raw
printf '\xe9\x00\x01\377|' | od -An -tx1
echo -e 'a\xe9b\0101' | od -An -tx1
printf '%b' '\xff\0351' | od -An -tx1
echo $'\xe9\351' | od -An -tx1
x=$'a\xe9\xffb'; echo "${#x}"; printf %s "${x:1:2}" | od -An -tx1
case $'\xe9' in ?) echo one character;; *) echo other;; esac
