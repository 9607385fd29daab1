# pushd, popd, dirs: the stack starts with the working directory, ~ for $HOME, +N from the left,
# -N from the right, -n without changing directory, the errors; builtin runs a builtin a
# function hides
cd "$HOME"
mkdir -p ds/a ds/b ds/c
pushd ds/a; pushd "$HOME/ds/b"; pushd ../c
dirs; dirs -v; dirs -p
pushd; pushd +2; dirs +1; dirs -0
popd; popd +1; dirs; popd -n; dirs
popd; popd; echo "status=$?"
pushd nope; echo "status=$?"
pushd; echo "status=$?"
dirs -c; dirs; pushd -n ds; dirs
pushd +3; pushd ds/b >/dev/null; pushd +5; popd +7; dirs +9; dirs -x
cd() { echo "function cd $1"; builtin cd "$@"; }
cd ds; pwd | sed "s#^$HOME#~#"
builtin nosuch; echo "status=$?"
type pushd builtin
