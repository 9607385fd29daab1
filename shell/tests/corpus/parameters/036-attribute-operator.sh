# ${x@a}: a variable's attribute letters (declare -p's), one per word of an array
declare -i num=3; arr=(1 2); declare -A am=([k]=v); declare -rx ro=1; plain=p; declare -l low=X; declare -i noval
echo "[${num@a}] [${arr@a}] [${am@a}] [${ro@a}] [${plain@a}] [${low@a}] [${unset@a}] [${noval@a}] [${arr[@]@a}]"
declare -p num arr ro low
