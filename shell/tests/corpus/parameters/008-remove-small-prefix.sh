# posix
f=a/b/c.tar.gz; echo ${f#*/}
