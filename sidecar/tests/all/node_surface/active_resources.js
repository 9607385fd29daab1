// process.getActiveResourcesInfo and _getActiveRequests: timers (an unref'd one left out, a
// running interval counted until it clears itself), immediates, and fs callbacks, as Node lists
// them (its order: requests, handles, timeouts, immediates). Printed at the end: Node lists
// process.stdout's pipe as a handle once it is used, which a guest's stdout is not.
const fs = require('fs');
const lines = [];
const note = (...what) => lines.push([...what, JSON.stringify(process.getActiveResourcesInfo())].join(' '));
note('start');
const t = setTimeout(() => {}, 5);
setTimeout(() => {}, 5).unref();
setImmediate(() => {});
note('timers');
clearTimeout(t);
note('cleared');
fs.stat(__filename, () => {});
fs.readFile(__filename, () => {});
note('fs', process._getActiveRequests().length);
setTimeout(() => {
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
}, 50);
