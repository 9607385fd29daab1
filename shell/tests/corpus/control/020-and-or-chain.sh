# posix
true && echo a || echo b; false && echo c || echo d
