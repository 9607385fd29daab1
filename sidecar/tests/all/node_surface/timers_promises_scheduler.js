// timers/promises scheduler: the one instance; its constructor and methods refuse others, as Node's.
const { scheduler } = require('timers/promises');
try { new scheduler.constructor(); } catch (e) { console.log(e.code, e.message); }
try { scheduler.wait.call({}, 1); } catch (e) { console.log(e.code, e.message); }
try { scheduler.yield.call(undefined); } catch (e) { console.log(e.code, e.message); }
scheduler.wait(1).then(() => scheduler.yield()).then(() => console.log('ok', Object.keys(scheduler).length));
