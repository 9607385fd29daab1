# posix
mkdir -p new/deep && touch new/deep/f && ls new/deep
