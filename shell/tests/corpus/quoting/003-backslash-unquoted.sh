# posix
echo a\ b \$x \\ \'q\'
