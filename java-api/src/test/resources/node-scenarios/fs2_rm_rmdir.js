// fs.rm and fs.rmdir with {recursive, force} (callback, Sync, promises): a directory without
// recursive is ERR_FS_EISDIR (force or not), a missing path ENOENT (lstat) unless force,
// rmdir {recursive} (deprecated: one DEP0147 warning) removes trees, is ENOENT (lstat) on a
// missing path and ENOTDIR (rmdir) on a file; a symlink to a directory is unlinked, not followed.
const fs = require('fs');
const os = require('os');
const path = require('path');
const log = (s) => console.log(s);
const d = fs.mkdtempSync(path.join(os.tmpdir(), 'uv4j-'));
const rel = (s) => (s === undefined ? 'undefined' : String(s).split(d).join('<d>'));
process.on('warning', (w) => log('warning ' + w.name + ' ' + w.code));
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
const tree = (p) => {
  fs.mkdirSync(p + '/u/v', { recursive: true });
  fs.writeFileSync(p + '/u/f', '1');
  fs.writeFileSync(p + '/u/v/g', '2');
};
const exists = (p) => log('exists ' + rel(p) + ' ' + fs.existsSync(p));
tree(d + '/t');
fs.writeFileSync(d + '/file', 'x');
const steps = [
  (next) => fs.rm(d + '/t', (err) => { show('rm dir', err); next(); }),
  (next) => fs.rm(d + '/t', { force: true }, (err) => { show('rm dir force', err); next(); }),
  (next) => fs.rm(d + '/missing', (err) => { show('rm missing', err); next(); }),
  (next) => fs.rm(d + '/missing', { force: true }, (err) => { show('rm missing force', err); next(); }),
  (next) => fs.rm(d + '/missing', { recursive: true }, (err) => { show('rm missing recursive', err); next(); }),
  (next) => fs.rm(d + '/t', { recursive: true }, (err) => { show('rm recursive', err); exists(d + '/t'); next(); }),
  (next) => fs.rm(d + '/file', { recursive: true }, (err) => { show('rm file recursive', err); exists(d + '/file'); next(); }),
  (next) => {
    tree(d + '/t2');
    fs.symlinkSync(d + '/t2', d + '/link');
    fs.rm(d + '/link', (err) => { show('rm symlink to dir', err); exists(d + '/link'); exists(d + '/t2/u/f'); next(); });
  },
  (next) => fs.rmdir(d + '/t2', (err) => { show('rmdir not empty', err); next(); }),
  (next) => fs.rmdir(d + '/t2', { recursive: true }, (err) => { show('rmdir recursive', err); exists(d + '/t2'); next(); }),
  (next) => fs.rmdir(d + '/missing', { recursive: true }, (err) => { show('rmdir recursive missing', err); next(); }),
  (next) => {
    fs.writeFileSync(d + '/file2', 'x');
    fs.rmdir(d + '/file2', { recursive: true }, (err) => { show('rmdir recursive file', err); next(); });
  },
  (next) => {
    tree(d + '/s');
    sync('rmSync dir', () => fs.rmSync(d + '/s'));
    sync('rmSync missing', () => fs.rmSync(d + '/missing'));
    sync('rmSync missing force', () => fs.rmSync(d + '/missing', { force: true }));
    sync('rmdirSync recursive missing', () => fs.rmdirSync(d + '/missing', { recursive: true }));
    sync('rmdirSync recursive file', () => fs.rmdirSync(d + '/file2', { recursive: true }));
    sync('rmdirSync recursive', () => fs.rmdirSync(d + '/s', { recursive: true }));
    exists(d + '/s');
    sync('rmSync trailing slash', () => { tree(d + '/s2'); fs.rmSync(d + '/s2/', { recursive: true }); });
    exists(d + '/s2');
    next();
  },
  (next) => { tree(d + '/p'); fs.promises.rm(d + '/p').catch((e) => { show('promises.rm dir', e); next(); }); },
  (next) => fs.promises.rm(d + '/p', { recursive: true }).then(() => { show('promises.rm recursive'); exists(d + '/p'); next(); }),
  (next) => fs.promises.rmdir(d + '/missing', { recursive: true }).catch((e) => { show('promises.rmdir recursive missing', e); next(); }),
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
