# posix
> newfile; [ -f newfile ] && echo created
