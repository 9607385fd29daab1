// package: fs-extra
// expect: {"ok":1} true false
const fse = require('fs-extra');
const os = require('os');
const path = require('path');
(async () => {
  const dir = await fse.mkdtemp(path.join(os.tmpdir(), 'fse-'));
  await fse.outputJson(path.join(dir, 'a/b/c.json'), { ok: 1 });
  await fse.copy(path.join(dir, 'a'), path.join(dir, 'copy'));
  const back = await fse.readJson(path.join(dir, 'copy/b/c.json'));
  const exists = await fse.pathExists(path.join(dir, 'copy/b'));
  await fse.remove(dir);
  console.log(JSON.stringify(back), exists, await fse.pathExists(dir));
})();
