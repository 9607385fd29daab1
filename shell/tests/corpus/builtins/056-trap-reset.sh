# posix
trap 'echo bye' EXIT; trap - EXIT; echo hello
