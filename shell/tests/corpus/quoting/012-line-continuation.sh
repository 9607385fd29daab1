# posix
echo one \
two
