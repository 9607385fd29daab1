s=hello; echo ${s^} ${s^^}; t=WORLD; echo ${t,} ${t,,}
