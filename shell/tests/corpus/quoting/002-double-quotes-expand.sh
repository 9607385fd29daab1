# posix
x=hi; echo "[$x] [${x}] [$(echo sub)]"
