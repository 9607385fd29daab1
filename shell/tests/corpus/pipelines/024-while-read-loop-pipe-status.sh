# posix
printf 'x\ny\n' | while read l; do echo $l; done | wc -l
