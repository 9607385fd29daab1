# posix
find dir -name '*.md' | sort
