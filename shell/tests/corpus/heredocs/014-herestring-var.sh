v='a b c'; wc -w <<< "$v"
