# posix
trap 'echo trap' EXIT; exit 6
