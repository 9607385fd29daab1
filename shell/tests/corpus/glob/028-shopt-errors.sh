# shopt: an unknown option is an error naming it; -q reports without printing
shopt -s no_such_option
echo "status $?"
shopt -q nullglob globstar
echo "quiet status $?"
shopt -s nullglob globstar
shopt -q nullglob globstar && echo "both on"
shopt -o pipefail
shopt -so pipefail
shopt -po pipefail
