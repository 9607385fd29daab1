# posix
set -e; f() { false; echo cont; }; f || echo never; echo end
