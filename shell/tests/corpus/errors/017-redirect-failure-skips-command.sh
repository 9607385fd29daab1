# posix
echo x > /nonexistent/dir/f; echo $?
