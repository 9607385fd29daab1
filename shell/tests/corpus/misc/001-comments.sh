# posix
# full comment
echo a # trailing
#echo no
