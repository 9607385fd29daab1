# extglob: the five forms in case, [[ ]], parameter trims and pathname expansion
shopt -s extglob
for f in a.txt b.txt data.csv lib.sh "my file.txt" x.tar.gz; do
  case $f in
    *.@(txt|csv)) echo "$f: text" ;;
    *.tar.+(gz|xz)) echo "$f: tarball" ;;
    !(*.*)) echo "$f: no dot" ;;
    *) echo "$f: other" ;;
  esac
done
[[ 2024 == +([0-9]) ]] && echo "digits"
[[ 20x4 == +([0-9]) ]] || echo "not digits"
[[ abc == ?(a)bc ]] && echo "optional a"
[[ bc == ?(a)bc ]] && echo "optional a absent"
[[ "" == *(x) ]] && echo "star of nothing"
v=000123; echo "${v##+(0)}"
p=/usr/local//bin//; echo "${p%%+(/)}"
s="aXbXXc"; echo "${s//+(X)/-}"
echo !(*.txt)
echo @(a|b).txt
echo *.!(txt|sh)
ls -d !(dir|*.txt)
shopt -u extglob
shopt extglob
