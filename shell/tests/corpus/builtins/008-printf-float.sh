# posix
printf '%.2f %.0f %e\n' 3.14159 2.5 1234.5
