f() { echo "$V"; }; V=tmp f; echo "[$V]"
