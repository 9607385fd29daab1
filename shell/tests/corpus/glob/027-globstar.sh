# shopt -s globstar: ** matches any depth of directories
echo **/*.txt
shopt -s globstar
echo **/*.txt
echo **/*.md
echo **/
echo dir/**/z.txt
for f in **; do echo "- $f"; done
shopt globstar
echo dir/**
echo no-such-dir/**
shopt -s nullglob
echo "[$(echo no-such-dir/**)]"
