# compgen: variables, exports, functions, aliases, keywords, files and directories (listings
# sorted: their order is the file system's), a word list, prefix and suffix, no match, errors
mkdir -p cgd/sub; touch cgd/fa cgd/fb cgd/.hid
x_a=1 x_b=2; export x_e=3; f_one() { :; }; f_two() { :; }
shopt -s expand_aliases; alias al1=ls
compgen -v x_; compgen -e x_; compgen -A function f_; compgen -W "alpha beta alp" -- al
compgen -k | head -4; compgen -a; compgen -A variable x_
compgen -f cgd/f | sort; compgen -d cgd/; compgen -f cgd/. | sort
compgen -P "<" -S ">" -W "a b"; compgen -W "x y" -- z; echo "status=$?"
compgen -b | grep -c '^pushd$'; compgen -A nonsense; echo "status=$?"
compgen -c al1; compgen -c f_o
