# getopts: unknown options and missing arguments, reported or (leading :) silent, OPTERR=0,
# usage errors
f() { local OPTIND o; while getopts "ab:" o; do echo "$o ${OPTARG-unset}"; done; }
f -x -a
f -ab
g() { local OPTIND o; while getopts ":ab:" o; do echo "$o ${OPTARG-unset}"; done; }
g -x -b
OPTERR=0
f -x
OPTERR=1
getopts; echo "status=$?"
getopts ab; echo "status=$?"
getopts a 1bad -a; echo "status=$?"
