# posix
echo $ "$" a$
