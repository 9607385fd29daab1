# posix
cut -d, -f1 data.csv | tail -n +2 | tr '\n' ' '; echo
