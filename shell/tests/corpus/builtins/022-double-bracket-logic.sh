[[ -f a.txt && ! -d a.txt || 1 -eq 2 ]] && echo ok
