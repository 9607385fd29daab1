# posix
(cd dir && ls); ls -d dir
