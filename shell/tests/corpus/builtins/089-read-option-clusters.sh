# read's options cluster as getopt's do (-ra NAME, -rd, -n3), and its usage errors
IFS=, read -ra parts <<< "a,b,c"; echo "${#parts[@]} ${parts[1]}"
read -rd, first rest <<< "x,y z"; echo "[$first] [$rest]"
read -n3 three <<< "abcdef"; echo "$three"
read -rp "" -a words <<< "w1 w2"; echo "${words[1]}"
read -r -a arr2 <<< "1 2 3"; echo "${#arr2[@]}"
read -x v <<< "q"; echo "status=$?"
read -a; echo "status=$?"
