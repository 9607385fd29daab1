f() {
  local -r x=1
  x=2
  echo "after assignment $x"
}
f
echo "status $?"
g() {
  local -r y=1
  local y=2
  echo "in g $? $y"
  local -x z=exported
  printenv z
}
g
