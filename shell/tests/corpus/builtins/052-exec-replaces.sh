# posix
exec echo replaced; echo never
