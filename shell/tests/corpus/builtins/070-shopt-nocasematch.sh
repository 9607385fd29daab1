# nocasematch: case, [[ == ]], [[ =~ ]] and ${x/pat/rep} ignore case; [ ], ${x#pat} do not
x=HELLO
case YES in y*) echo "case: no match expected" ;; *) echo "case: off" ;; esac
shopt -s nocasematch
case YES in y*) echo "case: yes" ;; *) echo "case: no" ;; esac
[[ ABC == abc ]] && echo "[[ == ]]: equal"
[[ ABC = a* ]] && echo "[[ = pattern ]]: match"
[[ ABC != abc ]] || echo "[[ != ]]: not different"
[[ ABC =~ ^a(b)c$ ]] && echo "=~: ${BASH_REMATCH[0]} ${BASH_REMATCH[1]}"
[[ Straße == STRASSE ]] || echo "ß is not SS"
[[ A1 == [a-z][0-9] ]] && echo "ranges fold"
[ ABC = abc ] || echo "[ ]: unaffected"
echo "${x/hell/j} ${x//l/_} ${x#he} ${x%lo}"
shopt -u nocasematch
[[ ABC == abc ]] || echo "off again"
