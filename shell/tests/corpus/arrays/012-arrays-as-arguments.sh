files=(*.txt)
echo "${#files[@]}"
wc -l "${files[@]}" | tail -1
args=(-n 2)
head "${args[@]}" numbers.txt
for f in "${files[@]}"; do [ -f "$f" ] && echo "ok $f"; done
