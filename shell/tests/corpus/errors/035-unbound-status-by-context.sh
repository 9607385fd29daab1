# set -u and ${x:?}: a subshell, a substitution or a compound command forked catches the error with
# status 1; a forked simple command exits 127, as the top level does
set -u
y=$(echo $unset_var); echo "substitution $?"
( echo $unset_var ); echo "subshell $?"
( ( echo $unset_var ); echo "inner $?" ); echo "outer $?"
echo $unset_var | cat; echo "simple stage ${PIPESTATUS[0]}"
{ echo $unset_var; } | cat; echo "group stage ${PIPESTATUS[0]}"
if true; then echo $unset_var; fi | cat; echo "if stage ${PIPESTATUS[0]}"
echo $unset_var & wait $!; echo "simple job $?"
{ echo $unset_var; } & wait $!; echo "group job $?"
true && echo $unset_var & wait $!; echo "and-or job $?"
( echo ${unset_var:?is required} ); echo "required $?"
( echo $(( unset_var + 1 )) ); echo "arithmetic $?"
echo "${unset_var:?at the top}"
echo "not reached"
