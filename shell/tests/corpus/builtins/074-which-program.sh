# which is a program of its own (/usr/bin/which, Debian's script over $PATH): -a, options, paths
type which
command -v which
which -a ls sh
which -a nosuch-cmd; echo "status $?"
which -x ls; echo "status $?"
which; echo "status $?"
which /usr/bin/env /nosuch/env; echo "status $?"
env which cat
