// package: date-fns
// expect: 2024-03-01 359 2024/01/05 Fri
const { addDays, format, differenceInCalendarDays, parseISO, formatISO } = require('date-fns');
const d = parseISO('2024-02-27T12:00:00Z');
console.log(formatISO(addDays(d, 3), { representation: 'date' }), differenceInCalendarDays(parseISO('2024-12-25'), parseISO('2024-01-01')), format(new Date(2024, 0, 5), 'yyyy/MM/dd EEE'));
