echo -- -n x
