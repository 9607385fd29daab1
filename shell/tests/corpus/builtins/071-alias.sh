# aliases: defined, listed, expanded with expand_aliases, not recursively, removed
alias ll='ls -1' la="ls -A"
alias
alias ll
alias nosuch; echo "status $?"
shopt -s expand_aliases
ll dir
alias ls='ls -1'
ls dir
alias greet='echo hello'
greet world
X=1 greet there
unalias ll; echo "status $?"
unalias ll; echo "status $?"
alias 'bad/name=x'; echo "status $?"
f() { greet from f; }
f
shopt -u expand_aliases
greet off 2>/dev/null; echo "status $?"
unalias -a; alias; echo "none left"
shopt -s expand_aliases
alias ll='ls -1'
type ll; command -v ll; type -t ll; command -V ll; type -a ll
