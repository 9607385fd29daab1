# posix
# posix sh expands aliases in a script without any option
alias say='echo said'
say one
alias two='say'
two two
unalias say
two three 2>/dev/null; echo "status $?"
alias ll='ls -1'
command -v ll
