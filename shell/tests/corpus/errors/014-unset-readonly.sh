# stderr: unstable
readonly z=1; unset z; echo $?
