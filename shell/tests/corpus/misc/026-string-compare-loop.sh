for a in b a c; do [ "$a" \< b ] && echo "$a<b"; done
