# posix
trap 'echo bye' EXIT; echo hello
