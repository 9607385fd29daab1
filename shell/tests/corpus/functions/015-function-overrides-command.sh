# posix
cat() { echo fake; }; cat a.txt; command cat a.txt | head -1
