# <(LIST) and >(LIST) as words: each is a pipe the command reads or writes as /dev/fd/N
diff <(sort words.txt) <(sort -r words.txt | sort); echo "diff of equal: $?"
comm -3 <(sort a.txt) <(sort b.txt)
paste -d, <(seq 3) <(seq 4 6) <(printf 'x\ny\nz\n')
cat <(echo one) - <(echo three) <<< two
head -n 2 <(seq 1 1000000)
grep -c . <(cat numbers.txt numbers.txt)
{ seq 5 | tee >(wc -l) >(grep -c 3) > /dev/null; } | sort
source <(echo 'greeting=hello; echo "sourced $#"'); echo "$greeting"
inner=$(cat <(echo "in a substitution")); echo "$inner"
show() { wc -c < "$1"; cat "$2"; }
show <(printf 12345) <(echo "through a function")
bash -c 'cat "$1"; echo "$2"' name <(echo "a nested shell") plain
cat <(exit 3); echo "status $?"
