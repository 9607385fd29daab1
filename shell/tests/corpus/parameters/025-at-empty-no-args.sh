# posix
set --; for x in "$@"; do echo got; done; echo end
