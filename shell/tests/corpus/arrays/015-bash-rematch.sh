# [[ =~ ]] leaves the match and its groups in BASH_REMATCH (a group that took no part is empty)
if [[ "release-1.22.3" =~ ^release-([0-9]+)\.([0-9]+)(\.([0-9]+))?(-rc)?$ ]]; then
  echo "${#BASH_REMATCH[@]}: ${BASH_REMATCH[0]} major=${BASH_REMATCH[1]} minor=${BASH_REMATCH[2]} patch=${BASH_REMATCH[4]} rc=[${BASH_REMATCH[5]}]"
fi
[[ "key = value" =~ ([a-z]+)\ *=\ *(.*) ]] && echo "${BASH_REMATCH[1]}|${BASH_REMATCH[2]}"
[[ nothing =~ ^x(y)$ ]]
echo "no match: $? ${#BASH_REMATCH[@]}"
[[ "a.b" =~ "." ]] && echo "quoted: ${BASH_REMATCH[0]}"
[[ "axb" =~ "." ]]
echo "quoted dot is literal: $? ${#BASH_REMATCH[@]}"
[[ "x.y" =~ ^x"."y$ ]] && echo "mixed: ${BASH_REMATCH[0]}"
re='([0-9]+)-([0-9]+)'
for range in 3-9 10-200 bad; do
  if [[ $range =~ $re ]]; then
    echo "$range: $(( BASH_REMATCH[2] - BASH_REMATCH[1] ))"
  else
    echo "$range: not a range"
  fi
done
