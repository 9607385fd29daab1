# shopt -s nullglob: a pattern that matches nothing expands to nothing
for f in *.nothing; do echo "literal: $f"; done
shopt -s nullglob
for f in *.nothing; do echo "never: $f"; done
set -- *.nothing dir/*.md
echo "$# args: $*"
shopt nullglob
shopt -q nullglob && echo "on"
shopt -u nullglob
echo *.nothing
shopt -q nullglob || echo "off again: $?"
