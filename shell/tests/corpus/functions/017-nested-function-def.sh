# posix
outer() { inner() { echo in; }; }; outer; inner
