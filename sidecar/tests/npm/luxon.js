// package: luxon
// expect: 2024-03-11T10:30:00.000Z 01:30 14
const { DateTime, Duration, Interval } = require('luxon');
const dt = DateTime.fromISO('2024-03-10T08:30:00', { zone: 'utc' });
console.log(dt.plus({ days: 1, hours: 2 }).toISO(), Duration.fromObject({ minutes: 90 }).toFormat('hh:mm'), Interval.fromDateTimes(dt, dt.plus({ weeks: 2 })).length('days'));
