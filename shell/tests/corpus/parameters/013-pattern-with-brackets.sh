# posix
v=abc123; echo ${v%%[0-9]*} ${v##*[a-z]}
