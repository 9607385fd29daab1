# stderr: unstable
local x=1; echo $?
