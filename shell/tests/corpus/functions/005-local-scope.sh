x=g; f() { local x=l; g; }; g() { echo $x; }; f; echo $x
