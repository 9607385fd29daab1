s=abcdef; echo ${s:2} ${s:1:3} ${s: -2} ${s:0:0}x
