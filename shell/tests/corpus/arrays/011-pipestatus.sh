false | true | (exit 3)
echo "${PIPESTATUS[@]}"
true
echo "${PIPESTATUS[*]}"
! false
echo "${PIPESTATUS[0]}"
{ false | true; }
echo "${PIPESTATUS[@]}"
(exit 7)
echo "${PIPESTATUS[@]}"
printf 'a\nb\n' | grep -q c | cat
echo "${PIPESTATUS[@]} ${#PIPESTATUS[@]}"
