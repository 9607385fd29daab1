# posix
set -f; echo *.txt; set +f; echo *.csv
