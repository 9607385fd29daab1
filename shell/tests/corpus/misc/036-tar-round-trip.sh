# tar creates what it lists and extracts: a directory tree, gzipped or not
tar -cf tree.tar dir && tar -tf tree.tar | sort
tar -czf tree.tgz dir a.txt && tar -tzf tree.tgz | sort
mkdir out && tar -xzf tree.tgz -C out && cat out/a.txt && ls out/dir | sort
tar -cf - a.txt | tar -xOf - a.txt
tar -cf some.tar missing.txt a.txt; echo "status $?"; tar -tf some.tar
