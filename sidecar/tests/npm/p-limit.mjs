// package: p-limit
// expect: 1,4,9,16,25 2 0 0
import pLimit from 'p-limit';
const limit = pLimit(2);
let active = 0;
let peak = 0;
const task = (n) => limit(async () => {
  active++;
  peak = Math.max(peak, active);
  await new Promise((r) => setTimeout(r, 5));
  active--;
  return n * n;
});
const results = await Promise.all([1, 2, 3, 4, 5].map(task));
console.log(results.join(','), peak, limit.activeCount, limit.pendingCount);
