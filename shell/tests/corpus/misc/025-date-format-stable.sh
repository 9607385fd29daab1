# posix
date -d @0 -u +%Y
