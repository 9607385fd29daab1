x=1; f() { local x; echo "[$x]"; x=2; }; f; echo $x
