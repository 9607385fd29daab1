# time PIPELINE: the report goes to the shell's stderr in TIMEFORMAT's format (digits vary)
{ time true; } 2>&1 | sed 's/[0-9]/N/g'
{ time -p echo hi; } 2>&1 | sed 's/[0-9]/N/g'
{ time seq 3 | wc -l; } 2>&1 | sed 's/[0-9]/N/g'
TIMEFORMAT='took %R s (%0R whole, %1lU long) 100%%'
{ time sleep 0; } 2>&1 | sed 's/[0-9]/N/g'
TIMEFORMAT=
{ time echo quiet; } 2>&1
unset TIMEFORMAT
{ time ! false; } 2> /dev/null; echo "status $?"
{ time (exit 3); } 2> /dev/null; echo "status $?"
{ time { echo in a group; false; }; } 2> /dev/null; echo "status $?"
