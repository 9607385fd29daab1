# posix
(echo from-bg) & wait
