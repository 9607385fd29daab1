set -o pipefail
false | true
echo "$? ${PIPESTATUS[@]}"
true | false | true
echo "$? ${PIPESTATUS[@]}"
