# posix
while read line; do echo "> $line"; done < a.txt
