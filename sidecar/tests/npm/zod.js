// package: zod
// expect: {"name":"Ada","age":36,"tags":[]} false name,age
const { z } = require('zod');
const User = z.object({ name: z.string().min(2), age: z.number().int().positive(), tags: z.array(z.string()).default([]) });
const ok = User.parse({ name: 'Ada', age: 36 });
const bad = User.safeParse({ name: 'A', age: -1 });
console.log(JSON.stringify(ok), bad.success, bad.error.issues.map((i) => i.path.join('.')).join(','));
