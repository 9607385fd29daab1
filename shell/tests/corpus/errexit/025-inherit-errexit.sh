# inherit_errexit: a command substitution keeps set -e
set -e
x=$(false; echo "after false"); echo "default: x=$x"
shopt -s inherit_errexit
shopt inherit_errexit
shopt -q inherit_errexit && echo "on"
y=$(echo partial; false; echo "not reached") || echo "substitution failed: y=$y"
if z=$(false; echo "in a condition"); then echo "z=$z"; fi
shopt -u inherit_errexit
w=$(false; echo "off again"); echo "w=$w"
shopt -s inherit_errexit
v=$(false; echo unreached)
echo "not printed"
