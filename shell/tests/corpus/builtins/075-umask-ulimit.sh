# umask and ulimit: shown, set (octal, symbolic, soft/hard), refused, inherited by subshells
umask; umask -S; umask -p
umask 077; umask
umask u=rwx,g=rx; umask
umask 8; echo "status $?"
umask a+w; umask
umask g-w,o=; umask -S
(umask 0; umask); umask
umask u*r; echo "status $?"
ulimit -n 512; ulimit -n; ulimit -Hn; ulimit -Sn
ulimit -n 99999999; echo "status $?"
ulimit -Sn 600; echo "status $?"
ulimit -n abc; echo "status $?"
ulimit -Z; echo "status $?"
ulimit; ulimit -f 100; ulimit -f; ulimit -Hf
ulimit -a | grep -c .
