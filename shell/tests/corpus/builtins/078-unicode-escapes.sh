# \u and \U escapes in printf, echo -e, %b and $'...': characters in a UTF-8 locale, the escape
# itself (normalised) for anything past ASCII in the C locale
printf '\u00e9 \U0001F600 \u41|\n'
echo -e '\u00e9\U1F600|' "$'\u263a'"
LC_ALL=C.UTF-8
printf '\u00e9 \U0001F600 \u41|\n' | od -An -tx1
echo -e '\u00e9\U1F600' | od -An -tx1
printf '%b\n' '\u263a' | od -An -tx1
printf %s $'\u00e9 \ud800' | od -An -tx1
x=$'\u00e9'; echo "${#x}"
echo -e '\x|\u|' '\U'
