# posix
set -u; echo ${defined:-ok}; echo $undefined; echo no
