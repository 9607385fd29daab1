# posix
cat <<"END"
$HOME
END
