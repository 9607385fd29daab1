false; echo $-|grep -q e && echo has-e; false; echo no
