# getopts: grouped options keep OPTIND at their argument, attached and separate arguments,
# a lone - and -- end the options, local OPTIND starts a function's parse over
f() {
  local OPTIND o
  while getopts "ab:c" o; do echo "$o ${OPTARG-unset} $OPTIND"; done
  shift $((OPTIND - 1))
  echo "rest: $*"
}
f -acb val rest
f -abVALUE x
f - -a
f -a -- -b
f x -a
getopts "a:" o -abc; echo "$? $o $OPTARG $OPTIND"
OPTIND=1
getopts "q" o -q -z; echo "$? $o $OPTIND"
getopts "q" o -q -z; echo "$? $o $OPTIND"
getopts "q" o -q -z; echo "$? $o $OPTIND"
