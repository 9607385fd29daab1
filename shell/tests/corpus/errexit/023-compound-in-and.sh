# posix
set -e; { false; echo inner; } && echo after; echo end
