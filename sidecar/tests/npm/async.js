// package: async
// expect: 3,6,9,12 20
const async = require('async');
async.mapLimit([1, 2, 3, 4], 2, async (x) => x * 3, (err, out) => {
  if (err) throw err;
  async.waterfall([(cb) => cb(null, 1), (a, cb) => cb(null, a + 1), (b, cb) => setImmediate(cb, null, b * 10)], (e, r) => {
    console.log(out.join(','), r);
  });
});
