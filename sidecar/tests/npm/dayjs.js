// package: dayjs
// expect: 2024-02-29 core 58 2024-02-01T00:00:00.000Z
const dayjs = require('dayjs');
const utc = require('dayjs/plugin/utc');
dayjs.extend(utc);
const d = dayjs.utc('2024-02-28T10:00:00Z');
console.log(d.add(1, 'day').format('YYYY-MM-DD'), d.isLeapYear ? 'plugin?' : 'core', d.diff(dayjs.utc('2024-01-01'), 'day'), d.startOf('month').toISOString());
