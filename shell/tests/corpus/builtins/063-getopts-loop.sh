# getopts: the usual loop over the positional parameters, OPTARG, OPTIND and shift
set -- -a -b value -c -- x y
while getopts "ab:c" opt; do
  echo "opt=$opt OPTARG=${OPTARG-unset} OPTIND=$OPTIND"
done
echo "end opt=$opt OPTIND=$OPTIND status=$?"
shift $((OPTIND - 1))
echo "operands: $*"
