echo abcdef | { read -n 3 x; echo $x; }
