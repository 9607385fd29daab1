# printf %q: backslashes for specials, $'...' for control characters and raw bytes
printf '%q\n' 'a,b' '~x' 'a~b' '#x' 'a#b' 'a=~b' '' "it's" 'x"y' 'a:~b' '%@+-=./_' 'a b*c?[d]'
printf '%q\n' $'a\x01b' $'\e' $'\x7f' $'tab\there' $'\xe9' $'line\n'
eval "x=$(printf '%q' $'a b\n\xe9')"; printf %s "$x" | od -An -tx1
