# set -E: the ERR trap also fires in functions and subshells; with set -e it runs before exiting
set -E
trap 'echo "caught $? in ${FUNCNAME[0]:-main}"' ERR
g() { false; echo "g goes on"; }
g
( false; echo "subshell goes on" )
echo "$-" | grep -q E && echo "E in \$-"
set -e
h() { echo "h fails"; return 7; }
h
echo "unreachable"
