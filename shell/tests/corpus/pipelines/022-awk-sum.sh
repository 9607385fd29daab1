# posix
awk -F, 'NR>1 {s+=$2} END {print s}' data.csv
