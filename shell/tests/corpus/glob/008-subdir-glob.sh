# posix
echo dir/*.md
