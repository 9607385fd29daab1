export PATH="$PWD/bin:$PATH"
sh -c 'greet child'
echo hi | xargs greet
