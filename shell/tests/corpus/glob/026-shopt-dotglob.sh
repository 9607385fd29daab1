# shopt -s dotglob: * matches hidden names too (never . and ..)
echo *
shopt -s dotglob
echo *
echo .h*
shopt -p dotglob
shopt -u dotglob
echo *
