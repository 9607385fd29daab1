// package: rxjs
// expect: [4,10,18] xXyY
const { from, of, lastValueFrom } = require('rxjs');
const { map, filter, scan, mergeMap, toArray } = require('rxjs/operators');
(async () => {
  const a = await lastValueFrom(from([1, 2, 3, 4]).pipe(filter((x) => x > 1), map((x) => x * 2), scan((s, x) => s + x, 0), toArray()));
  const b = await lastValueFrom(of('x', 'y').pipe(mergeMap((s) => of(s, s.toUpperCase())), toArray()));
  console.log(JSON.stringify(a), b.join(''));
})();
