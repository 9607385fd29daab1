// package: smol-toml
// expect: {"title":"TOML","owner":{"name":"Tom"},"items":[{"n":1},{"n":2}]} "a = 1\n\n[b]\nc = \"d\"\n"
import { parse, stringify } from 'smol-toml';
const doc = parse('title = "TOML"\n[owner]\nname = "Tom"\n[[items]]\nn = 1\n[[items]]\nn = 2\n');
console.log(JSON.stringify(doc), JSON.stringify(stringify({ a: 1, b: { c: 'd' } })));
