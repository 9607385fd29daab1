// An invalid encoding (options as a string or {encoding}) is refused before any I/O by every fs
// function that takes one, as Node's getOptions does; a bad symlink type likewise.
const fs = require('fs');
const t = (l, f) => { try { f(); console.log(l, 'no throw') } catch (e) { console.log(l, e.code) } };
t('readFile', () => fs.readFile('/nonexist', 'test', () => console.log('readFile cb')));
t('readdir', () => fs.readdir('/nonexist', 'test', () => console.log('readdir cb')));
t('readdirSync', () => fs.readdirSync('/nonexist', 'test'));
t('readlink', () => fs.readlink('/nonexist', 'test', () => {}));
t('readlinkSync', () => fs.readlinkSync('/nonexist', 'test'));
t('writeFile', () => fs.writeFile('enc-x', 'x', 'test', () => {}));
t('writeFileSync', () => fs.writeFileSync('enc-x', 'x', 'test'));
t('appendFile', () => fs.appendFile('enc-x', 'x', 'test', () => {}));
t('appendFileSync', () => fs.appendFileSync('enc-x', 'x', 'test'));
t('realpath', () => fs.realpath('/nonexist', 'test', () => {}));
t('realpathSync', () => fs.realpathSync('/nonexist', 'test'));
t('mkdtemp', () => fs.mkdtemp('enc-x', 'test', () => {}));
t('mkdtempSync', () => fs.mkdtempSync('enc-x', 'test'));
t('watch', () => fs.watch('/nonexist', 'test', () => {}));
t('ReadStream', () => fs.ReadStream('/nonexist', 'test'));
t('WriteStream', () => fs.WriteStream('enc-x', 'test'));
t('symlink type', () => fs.symlinkSync('', '', 'x'));
t('symlink type (callback form)', () => fs.symlink('', '', 'x', () => console.log('symlink cb')));
// Valid encodings still work.
const made = fs.mkdtempSync('enc-', 'buffer');
console.log('mkdtemp buffer', Buffer.isBuffer(made), made.toString().startsWith('enc-'));
console.log('mkdtemp hex', /^[0-9a-f]+$/.test(fs.mkdtempSync('enc-', { encoding: 'hex' })));
console.log('readdir buffer', fs.readdirSync('.', 'buffer').every(Buffer.isBuffer));
console.log('realpath latin1', fs.realpathSync('.', 'latin1') === process.cwd());
fs.symlinkSync('target-name', 'enc-link');
console.log('readlink hex', fs.readlinkSync('enc-link', 'hex'), fs.readlinkSync('enc-link', 'buffer').length);
console.log('readdir hex', fs.readdirSync('.', 'hex').includes(Buffer.from('enc-link').toString('hex')));
console.log('realpath base64', Buffer.from(fs.realpathSync('.', 'base64'), 'base64').toString() === process.cwd());
