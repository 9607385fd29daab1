// package: nanoid
// expect: 21 true 8 true
import { nanoid, customAlphabet } from 'nanoid';
const id = nanoid();
const digits = customAlphabet('0123456789', 8)();
console.log(id.length, /^[A-Za-z0-9_-]+$/.test(id), digits.length, /^\d+$/.test(digits));
