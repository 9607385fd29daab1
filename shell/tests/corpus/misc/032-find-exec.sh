# posix
find dir -name '*.md' -exec echo found {} \; | sort
find dir -name '*.md' -exec echo all {} + | tr ' ' '\n' | sort
find dir -type f -name z.txt -execdir pwd \; | sed 's|.*/||'
find dir -name x.md -exec sh -c 'echo "in sh: $1"; exit 3' _ {} \;; echo "status $?"
find dir -name '*.md' -exec false {} \; -print; echo "status $?"
find dir -name x.md -print -exec echo then {} \; -print
find dir -name x.md -exec echo hi {} \; > out.txt; cat out.txt
