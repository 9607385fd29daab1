# posix
x=foo; case $x in bar) echo bar;; foo|baz) echo foobaz;; *) echo other;; esac
