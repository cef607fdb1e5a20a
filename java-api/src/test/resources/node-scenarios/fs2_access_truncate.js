// fs.access (F_OK, R_OK, W_OK, X_OK; callback, Sync, promises) and fs.truncate/ftruncate
// (default length 0, negative length, zero padding; errors with code, errno, syscall, path);
// the scratch directory is printed as <d>. Each step starts when the previous one finished.
const fs = require('fs');
const os = require('os');
const path = require('path');
const log = (s) => console.log(s);
const d = fs.mkdtempSync(path.join(os.tmpdir(), 'uv4j-'));
const rel = (s) => (s === undefined ? 'undefined' : String(s).split(d).join('<d>'));
const f = d + '/f';
fs.writeFileSync(f, 'hello');
fs.chmodSync(f, 0o644);
fs.mkdirSync(d + '/dir');
function show(label, err) {
  if (!err) {
    log(label + ': ok');
    return;
  }
  log(label + ': ' + err.code + ' errno=' + err.errno + ' syscall=' + err.syscall + ' path=' + rel(err.path)
      + ' | ' + rel(err.message));
}
function sync(label, fn) {
  try {
    fn();
    show(label);
  } catch (e) {
    show(label, e);
  }
}
const C = fs.constants;
const steps = [
  (next) => fs.access(f, (err) => { show('access F_OK default', err); next(); }),
  (next) => fs.access(f, C.R_OK, (err) => { show('access R_OK', err); next(); }),
  (next) => fs.access(f, C.W_OK, (err) => { show('access W_OK', err); next(); }),
  (next) => fs.access(f, C.X_OK, (err) => { show('access X_OK', err); next(); }),
  (next) => fs.access(f, C.R_OK | C.W_OK, (err) => { show('access R_OK|W_OK', err); next(); }),
  (next) => fs.access(d + '/missing', (err) => { show('access missing', err); next(); }),
  (next) => fs.access(d + '/dir', C.X_OK, (err) => { show('access dir X_OK', err); next(); }),
  (next) => {
    sync('accessSync F_OK', () => fs.accessSync(f));
    sync('accessSync X_OK', () => fs.accessSync(f, C.X_OK));
    sync('accessSync missing', () => fs.accessSync(d + '/missing', C.R_OK));
    sync('accessSync mode 8', () => fs.accessSync(f, 8));
    sync('access mode -1', () => fs.access(f, -1, () => log('not called')));
    next();
  },
  (next) => fs.promises.access(f, C.W_OK).then(() => { show('promises.access W_OK'); next(); }),
  (next) => fs.promises.access(d + '/missing').catch((e) => { show('promises.access missing', e); next(); }),
  (next) => fs.promises.access(f, 9).catch((e) => { show('promises.access mode 9', e); next(); }),
  (next) => fs.truncate(f, 2, (err) => { show('truncate 2', err); log('content ' + fs.readFileSync(f, 'latin1')); next(); }),
  (next) => fs.truncate(f, 4, (err) => { show('truncate 4', err); log('hex ' + fs.readFileSync(f, 'hex')); next(); }),
  (next) => fs.truncate(f, (err) => { show('truncate default', err); log('size ' + fs.statSync(f).size); next(); }),
  (next) => fs.truncate(d + '/missing', 1, (err) => { show('truncate missing', err); next(); }),
  (next) => fs.truncate(d + '/dir', (err) => { show('truncate dir', err); next(); }),
  (next) => {
    fs.writeFileSync(f, 'abcdef');
    sync('truncateSync 3', () => fs.truncateSync(f, 3));
    log('content ' + fs.readFileSync(f, 'latin1'));
    sync('truncateSync -5', () => fs.truncateSync(f, -5));
    log('size ' + fs.statSync(f).size);
    sync('truncateSync missing', () => fs.truncateSync(d + '/missing'));
    sync('truncateSync 2**53', () => fs.truncateSync(f, 2 ** 53));
    next();
  },
  (next) => {
    fs.writeFileSync(f, 'abcdef');
    const fd = fs.openSync(f, 'r+');
    fs.ftruncate(fd, 1, (err) => {
      show('ftruncate 1', err);
      sync('ftruncateSync 0', () => fs.ftruncateSync(fd));
      log('size ' + fs.fstatSync(fd).size);
      fs.closeSync(fd);
      const ro = fs.openSync(f, 'r');
      fs.ftruncate(ro, 3, (err2) => {
        show('ftruncate read-only', err2);
        fs.closeSync(ro);
        sync('ftruncateSync bad fd', () => fs.ftruncateSync(999999, 1));
        sync('ftruncate fd -1', () => fs.ftruncate(-1, 1, () => log('not called')));
        next();
      });
    });
  },
  (next) => fs.promises.truncate(f, 7).then(() => { show('promises.truncate 7'); log('hex ' + fs.readFileSync(f, 'hex')); next(); }),
  (next) => fs.promises.truncate(d + '/missing').catch((e) => { show('promises.truncate missing', e); next(); }),
];
let i = 0;
function next() {
  if (i === steps.length) {
    fs.rmSync(d, { recursive: true });
    log('done');
    return;
  }
  steps[i++](next);
}
next();
