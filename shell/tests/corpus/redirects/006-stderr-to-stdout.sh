# posix
{ echo e >&2; } 2>&1
