// process.getActiveResourcesInfo and _getActiveRequests: timers (an unref'd one left out, a
// running interval counted until it clears itself), immediates, and fs callbacks, as Node lists
// them (its order: requests, handles, timeouts, immediates). Printed at the end: Node lists
// process.stdout's pipe as a handle once it is used, which a guest's stdout is not. 'settled' is
// noted once the immediate and both fs callbacks have run (not after a fixed delay, which a loaded
// machine can outlast).
const fs = require('fs');
const lines = [];
const note = (...what) => lines.push([...what, JSON.stringify(process.getActiveResourcesInfo())].join(' '));
note('start');
let pending = 3;
const done = () => {
  if (--pending === 0) setTimeout(settle, 1);
};
const t = setTimeout(() => {}, 5);
setTimeout(() => {}, 5).unref();
setImmediate(done);
note('timers');
clearTimeout(t);
note('cleared');
fs.stat(__filename, done);
fs.readFile(__filename, done);
note('fs', process._getActiveRequests().length);
function settle() {
  note('settled');
  let runs = 0;
  const iv = setInterval(() => {
    note('in interval', runs);
    if (++runs === 2) {
      clearInterval(iv);
      note('interval cleared');
      console.log(lines.join('\n'));
    }
  }, 1);
}
