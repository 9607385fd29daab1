source ./lib.sh x; echo $val
