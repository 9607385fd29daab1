# posix
sed -n '2p' a.txt | sed 's/e/E/g'
