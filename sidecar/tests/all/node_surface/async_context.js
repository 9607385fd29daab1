// AsyncLocalStorage: stores follow await, nextTick, timers, immediates and AsyncResource.
const { AsyncLocalStorage, AsyncResource } = require('async_hooks');
const als = new AsyncLocalStorage();
const other = new AsyncLocalStorage();
const log = (what) => console.log(what, JSON.stringify(als.getStore()), other.getStore());
const later = (fn) => new Promise((resolve) => fn(resolve));

als.run({ id: 1 }, async () => {
  log('sync');
  await null;
  log('after await');
  await later((done) => process.nextTick(() => { log('tick'); done(); }));
  await later((done) => setTimeout(() => { log('timeout'); done(); }, 1));
  await later((done) => setImmediate(() => { log('immediate'); done(); }));
  other.run('b', () => log('two stores'));
  als.exit(() => log('exit'));
  const resource = new AsyncResource('job');
  await als.run({ id: 2 }, async () => {
    log('nested');
    resource.runInAsyncScope(() => log('resource scope'));
  });
  log('back');
  const snap = AsyncLocalStorage.snapshot();
  als.run({ id: 3 }, () => snap(() => log('snapshot')));
});
log('outside');
