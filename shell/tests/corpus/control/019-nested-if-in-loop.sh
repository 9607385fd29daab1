# posix
for n in 1 2 3 4; do if [ $((n % 2)) -eq 0 ]; then echo even $n; else echo odd $n; fi; done
