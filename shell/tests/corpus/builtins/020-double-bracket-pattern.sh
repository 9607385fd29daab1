x=hello.txt; [[ $x == *.txt ]] && echo match; [[ $x == "*.txt" ]] || echo literal
