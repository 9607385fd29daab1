# extglob edge cases: nesting, dotfiles, -O on the command line, eval, quoting
shopt -s extglob
touch .hidden x.md
echo !(*.txt|*.csv|*.sh)
echo @(*.md|.hid*)
[[ file.tar.gz == *.@(tar.@(gz|bz2)|zip) ]] && echo nested
[[ 'a|b' == @(a\|b) ]] && echo "escaped bar"
[[ x == '@(x)' ]] || echo "quoted is literal"
pat='@(foo|bar)'; [[ bar == $pat ]] && echo "from a variable"
eval '[[ ab == +(a|b) ]] && echo "in eval"'
f() { case $1 in +([[:digit:]])) echo "$1 number";; *) echo "$1 word";; esac; }
f 42; f 4x2
echo "$(shopt -p extglob)"
bash -O extglob -c 'echo @(a|b).txt'
bash -c 'shopt -s extglob
echo !(*.txt|dir)'
x=aaa; echo "${x/#+(a)/b}"
