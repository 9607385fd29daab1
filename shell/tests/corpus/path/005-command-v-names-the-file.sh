PATH="$PWD/bin:$PATH"
command -v greet | sed "s|^$PWD|PWD|"
command -v no-such-command-anywhere || echo "not found $?"
