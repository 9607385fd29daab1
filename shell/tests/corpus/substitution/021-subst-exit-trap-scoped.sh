# posix
x=$(trap 'echo in-trap' EXIT; echo body); echo "$x"
