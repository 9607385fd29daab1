// package: pako
// expect: true true 1f8b true
import { deflate, inflate, gzip, ungzip } from 'pako';
const text = 'hello hello hello hello pako';
const packed = deflate(text);
const back = new TextDecoder().decode(inflate(packed));
const gz = gzip(text);
console.log(back === text, packed.length < text.length, gz[0].toString(16) + gz[1].toString(16), new TextDecoder().decode(ungzip(gz)) === text);
