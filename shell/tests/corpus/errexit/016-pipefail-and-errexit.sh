set -eo pipefail; false | true; echo no
