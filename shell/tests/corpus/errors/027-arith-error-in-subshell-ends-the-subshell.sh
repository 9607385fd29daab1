( echo $((1/0)); echo in-subshell ); echo after $?
echo $(echo $((1/0)); echo in-subst) out
echo $((1/0)) | cat; echo piped ${PIPESTATUS[0]}
