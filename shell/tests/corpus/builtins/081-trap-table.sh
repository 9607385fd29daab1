# trap: listing (-p, no arguments), the reset forms (-, a lone spec, a number first), numbers and
# names in any case, invalid specifications, trap -l and kill -l
trap 'echo bye' EXIT
trap 'echo hup' 1
trap 'echo int' sigint
trap '' TERM
trap 'echo err' ERR
trap
trap -p INT TERM
trap -p FOO; echo "status=$?"
trap 'echo x' NOPE; echo "status=$?"
trap - INT; trap HUP; trap -p
trap 'echo usr' USR1 USR2; trap 10 12; trap -p USR1 USR2; echo "none left"
trap -l | head -3
kill -l | tail -2
kill -l 15 TERM 143 sigkill
trap - EXIT
