readonly r=1
r=1
echo next $?
readonly r=1; echo readonly-again $?
declare r=1; echo declare $?
export r; echo export-ok $?
