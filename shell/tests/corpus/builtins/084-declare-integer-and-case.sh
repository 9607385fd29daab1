# declare/local -i (assignments are arithmetic, += adds), -l and -u (values lowercased or
# uppercased), declare -p showing them, read and for assigning through them
declare -i n=5; n+=3; echo $n
n=2*4+1; echo $n
declare -i m=7+1; echo $m
declare -l low=ABC; declare -u up=abc; echo $low $up
low+=XyZ; up+=qRs; echo $low $up
declare -ri r=1+1; echo $r
f() { local -i k=3*3; k+=1; echo $k; local -u s=hi; echo $s; }; f
declare -p n low up r
declare -i z; z=abc; echo "z=$z"; abc=4; z=abc*2; echo "z=$z"
declare -l -u both=MiXeD; echo $both
declare -u x=a; declare -l x; x=QQ; echo $x
read -r n <<< "6*7"; echo $n
for n in 1+1 2+2; do echo $n; done
