# posix
touch k1 k5 k9; echo k[1-5]
