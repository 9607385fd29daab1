{ echo a; echo b >&2; } &> o.txt; sort o.txt
