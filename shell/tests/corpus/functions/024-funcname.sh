# FUNCNAME: the functions being run, innermost first; empty outside any
log() { echo "${FUNCNAME[1]}: $*"; }
build() { log "building"; inner; }
inner() { echo "${FUNCNAME[*]} (${#FUNCNAME[@]} deep)"; echo "$FUNCNAME"; }
build
echo "top: [${FUNCNAME[*]}] ${#FUNCNAME[@]}"
depth() { if [ "$1" -gt 0 ]; then depth $(($1 - 1)); else echo "${#FUNCNAME[@]}"; fi; }
depth 4
