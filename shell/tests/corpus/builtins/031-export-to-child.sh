# posix
export FOO=bar; sh -c 'echo $FOO'
