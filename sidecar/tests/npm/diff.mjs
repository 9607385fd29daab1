// package: diff
// expect: "the -quick+slow brown -fox+dog" "one\nthree\n"
import { diffWords, createTwoFilesPatch, applyPatch } from 'diff';
const parts = diffWords('the quick brown fox', 'the slow brown dog').map((p) => (p.added ? `+${p.value}` : p.removed ? `-${p.value}` : p.value));
const patch = createTwoFilesPatch('a', 'b', 'one\ntwo\n', 'one\nthree\n');
console.log(JSON.stringify(parts.join('')), JSON.stringify(applyPatch('one\ntwo\n', patch)));
