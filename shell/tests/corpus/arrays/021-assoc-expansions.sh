# Parameter expansions on associative elements, and the array in a loop, a pipe and a subshell
declare -A info=([name]=report.tar.gz [path]=/srv/data/report.tar.gz [owner]=alice)
echo "${info[name]%%.*} ${info[name]#*.} ${#info[owner]} ${info[owner]^} ${info[path]/data/backup}"
echo "${info[path]##*/} ${info[missing]:-default} ${info[name]:0:6}"
IFS=:; echo "${info[*]}"; unset IFS
printf '%s\n' "${info[@]}" | sort
( info[owner]=bob; echo "in subshell: ${info[owner]}" )
echo "outside: ${info[owner]}"
while IFS='=' read -r key value; do
  info[$key]=$value
done <<'END'
size=42
owner=carol
END
echo "${info[size]} ${info[owner]}"
read -r 'info[first]' 'info[rest]' <<< "one two three"
echo "${info[first]}|${info[rest]}"
