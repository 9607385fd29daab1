# posix
cd dir; echo "$PWD"/*.md | sed "s|$PWD|P|g"
