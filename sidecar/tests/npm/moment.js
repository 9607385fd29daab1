// package: moment
// expect: Friday, March 1st 2024, 1:45 pm 60 true
const moment = require('moment');
const m = moment.utc('2024-02-28 13:45', 'YYYY-MM-DD HH:mm');
console.log(m.add(2, 'days').format('dddd, MMMM Do YYYY, h:mm a'), moment.duration(3600 * 1000).asMinutes(), moment.utc('2020-01-01').isBefore('2020-06-01'));
