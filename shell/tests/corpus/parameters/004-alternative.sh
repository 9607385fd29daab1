# posix
x=1; y=; echo [${x:+alt}] [${y:+alt}] [${y+alt}]
