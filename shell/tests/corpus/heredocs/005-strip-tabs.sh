# posix
cat <<-EOF
	indented
		double
	EOF
