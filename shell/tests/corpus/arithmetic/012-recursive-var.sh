a=b+1; b=2; echo $((a*2))
