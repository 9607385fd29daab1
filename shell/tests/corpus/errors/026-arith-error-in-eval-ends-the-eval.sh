eval 'echo $((1/0)); echo in-eval'; echo after-eval $?
echo next
