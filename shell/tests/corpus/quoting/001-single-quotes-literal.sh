# posix
echo 'a $b `c` \d'
