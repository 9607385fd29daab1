// assert(value)/assert.ok(value) without a message: the source of the failing call, read from
// this file as Node reads it (member chains, strings holding brackets, templates, several lines).
const assert = require('assert');
const { ok } = assert;
const show = (fn) => {
  try {
    fn();
    console.log('ok');
  } catch (e) {
    console.log(`${e.code} generated=${e.generatedMessage} ${JSON.stringify(e.message)}`);
  }
};
const x = 1;
show(() => assert(x > 2));
show(() => assert.ok(typeof x === 'string', undefined));
show(() => assert.ok([1, 2].includes(3) && ')' === '('));
show(() => assert(
  x === 3 &&
    x === 4,
));
show(() => assert.strict.ok(null));
show(() => assert.ok(0, 'own message'));
show(() => ok(`tpl ${x} ${'}'}` === 'no'));
show(() => assert.ok(/* a ) comment */ x === 2));
show(() => assert.ok(x === 1));
show(() => assert.ok());
