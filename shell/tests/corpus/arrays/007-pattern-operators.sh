f=(src/a.rs src/b.rs lib/c.rs)
echo "${f[@]#*/}"
echo "${f[@]%.rs}"
echo "${f[@]/src/SRC}"
echo "${f[@]^^}"
