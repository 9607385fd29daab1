# RANDOM is 0..32767 and changes between reads; SECONDS counts whole seconds from the start
in_range=yes
seen=""
for i in 1 2 3 4 5 6 7 8; do
  r=$RANDOM
  if [ "$r" -lt 0 ] || [ "$r" -gt 32767 ]; then in_range=no; fi
  seen="$seen $r"
done
echo "in range: $in_range"
set -- $seen
first=$1; shift
for r in "$@"; do [ "$r" != "$first" ] && { echo "varies"; break; }; done
echo "arith: $(( RANDOM % 10 < 10 ))"
echo "seconds: $(( SECONDS >= 0 && SECONDS < 5 ))"
