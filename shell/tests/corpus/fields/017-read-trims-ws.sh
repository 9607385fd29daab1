# posix
echo '   pad   ' | { read a; echo "[$a]"; }
