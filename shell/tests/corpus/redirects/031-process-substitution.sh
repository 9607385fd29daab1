# < <(LIST): a list's output as a redirection, streamed into a loop of this shell
while read -r line; do echo "got: $line"; done < <(printf 'a\nb\nc\n')
count=0
while read -r f; do count=$((count + 1)); done < <(ls dir)
echo "entries: $count (the loop ran in this shell)"
read -r first < <(seq 1 100000)
echo "first of many: $first"
mapfile -t sorted < <(sort -r words.txt)
echo "${#sorted[@]} sorted, last ${sorted[${#sorted[@]}-1]}"
wc -l < <(cat a.txt b.txt)
for i in 1 2 3; do tr a-z A-Z < <(echo "round $i"); done
