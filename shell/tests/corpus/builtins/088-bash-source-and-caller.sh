# FUNCNAME, BASH_SOURCE and BASH_LINENO through functions, source and a script file, and caller
cat > lib.sh <<'END'
libf() { echo "libf: FN=(${FUNCNAME[*]}) SRC=(${BASH_SOURCE[*]}) LN=(${BASH_LINENO[*]})"; caller 0; }
echo "sourcing: FN=(${FUNCNAME[*]}) SRC=(${BASH_SOURCE[*]}) LN=(${BASH_LINENO[*]})"
END
echo "top: [${BASH_SOURCE[*]}] ${#BASH_SOURCE[@]}"
f() { echo "f: FN=(${FUNCNAME[*]}) SRC=(${BASH_SOURCE[*]}) LN=(${BASH_LINENO[*]})"; g; }
g() { caller; caller 0; caller 1; caller 2; echo "status=$?"; }
f
. ./lib.sh
libf
caller; echo "top caller: $?"
printf '%s\n' 'echo "file: ${BASH_SOURCE[0]} $(caller)"' 'h() { caller 0; echo "${FUNCNAME[*]}"; }' 'h' > s.sh
bash s.sh
dir=$(cd "$(dirname "s.sh")" && pwd); [ -n "$dir" ] && echo "dirname idiom ok"
