x=010; echo $((x))
