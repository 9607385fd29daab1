# stderr: unstable
set -C; echo 1 > c.txt; echo 2 > c.txt; echo $?; echo 3 >| c.txt; cat c.txt
