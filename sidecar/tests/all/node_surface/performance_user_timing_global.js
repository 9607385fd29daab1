'use strict';
// The global `performance` has the User Timing API before perf_hooks is required.
console.log(typeof performance.mark, typeof performance.measure, typeof performance.getEntries);
performance.mark('a');
performance.mark('b');
const m = performance.measure('a to b', 'a', 'b');
console.log(m.name, m.entryType, performance.getEntriesByType('mark').map((e) => e.name));
performance.clearMarks();
console.log(performance.getEntriesByType('mark').length);
console.log(require('perf_hooks').performance === performance);
