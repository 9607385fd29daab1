echo a > o.txt; { echo b >&2; } &>> o.txt; cat o.txt
