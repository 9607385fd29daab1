# posix
set -e; f() { false; echo inside; }; if f; then echo t; fi; echo ok
