// copyFile modes (COPYFILE_EXCL, FICLONE, FICLONE_FORCE; callback, Sync, promises) and
// writeFile/appendFile options (encoding, flag, mode, flush), with their errors; <d> is the scratch
// directory. Each step starts when the previous one finished.
const fs = require('fs');
const os = require('os');
const path = require('path');
const log = (s) => console.log(s);
const d = fs.mkdtempSync(path.join(os.tmpdir(), 'uv4j-'));
const rel = (s) => (s === undefined ? 'undefined' : String(s).split(d).join('<d>'));
function show(label, err) {
  if (!err) {
    log(label + ': ok');
    return;
  }
  log(label + ': ' + err.code + ' errno=' + err.errno + ' syscall=' + err.syscall + ' path=' + rel(err.path)
      + ' dest=' + rel(err.dest) + ' | ' + rel(err.message));
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
const src = d + '/src';
fs.writeFileSync(src, 'source');
fs.mkdirSync(d + '/dir');
const hex = (p) => fs.readFileSync(p, 'hex');
const mode = (p) => (fs.statSync(p).mode & 0o777).toString(8);
const steps = [
  (next) => fs.copyFile(src, d + '/a', (err) => { show('copyFile', err); log('a ' + hex(d + '/a')); next(); }),
  (next) => fs.copyFile(src, d + '/a', C.COPYFILE_EXCL, (err) => { show('copyFile EXCL existing', err); next(); }),
  (next) => fs.copyFile(src, d + '/b', C.COPYFILE_EXCL, (err) => { show('copyFile EXCL new', err); next(); }),
  (next) => fs.copyFile(src, d + '/c', C.COPYFILE_FICLONE, (err) => { show('copyFile FICLONE', err); log('c ' + hex(d + '/c')); next(); }),
  (next) => fs.copyFile(src, d + '/e', C.COPYFILE_FICLONE_FORCE, (err) => { show('copyFile FICLONE_FORCE', err); next(); }),
  (next) => fs.copyFile(src, d + '/dir', (err) => { show('copyFile onto dir', err); next(); }),
  (next) => fs.copyFile(d + '/dir', d + '/f', (err) => { show('copyFile from dir', err); next(); }),
  (next) => {
    sync('copyFileSync EXCL existing', () => fs.copyFileSync(src, d + '/a', C.COPYFILE_EXCL));
    sync('copyFileSync FICLONE', () => fs.copyFileSync(src, d + '/g', C.COPYFILE_FICLONE));
    sync('copyFileSync mode 8', () => fs.copyFileSync(src, d + '/g', 8));
    sync('copyFile mode -1', () => fs.copyFile(src, d + '/g', -1, () => log('not called')));
    next();
  },
  (next) => fs.promises.copyFile(src, d + '/b', C.COPYFILE_EXCL).catch((e) => { show('promises.copyFile EXCL', e); next(); }),
  (next) => fs.promises.copyFile(src, d + '/h', 8).catch((e) => { show('promises.copyFile mode 8', e); next(); }),
  (next) => fs.writeFile(d + '/w', '68656c6c6f', { encoding: 'hex' }, (err) => { show('writeFile hex', err); log('w ' + fs.readFileSync(d + '/w', 'latin1')); next(); }),
  (next) => fs.writeFile(d + '/w', 'aGk=', { encoding: 'base64' }, (err) => { show('writeFile base64', err); log('w ' + hex(d + '/w')); next(); }),
  (next) => fs.writeFile(d + '/w', '\u00e9\u20ac', { encoding: 'latin1' }, (err) => { show('writeFile latin1', err); log('w ' + hex(d + '/w')); next(); }),
  (next) => fs.writeFile(d + '/w', '\u00e9\u20ac', { encoding: 'ascii' }, (err) => { show('writeFile ascii', err); log('w ' + hex(d + '/w')); next(); }),
  (next) => fs.writeFile(d + '/w', '\u00e9\u20ac', { encoding: 'utf16le' }, (err) => { show('writeFile utf16le', err); log('w ' + hex(d + '/w')); next(); }),
  (next) => fs.writeFile(d + '/w', 'x', { flag: 'wx' }, (err) => { show('writeFile wx existing', err); next(); }),
  (next) => fs.writeFile(d + '/w', 'tail', { flag: 'a' }, (err) => { show('writeFile flag a', err); log('w ' + hex(d + '/w')); next(); }),
  (next) => fs.writeFile(d + '/w', 'XY', { flag: 'r+' }, (err) => { show('writeFile flag r+', err); log('w ' + hex(d + '/w')); next(); }),
  (next) => fs.writeFile(d + '/w', 'x', { flag: 'r' }, (err) => { show('writeFile flag r', err); next(); }),
  (next) => fs.writeFile(d + '/m', 'x', { mode: 0o600 }, (err) => { show('writeFile mode 600', err); log('mode ' + mode(d + '/m')); next(); }),
  (next) => fs.writeFile(d + '/m', 'y', { mode: 0o644 }, (err) => { show('writeFile existing mode 644', err); log('mode ' + mode(d + '/m')); next(); }),
  (next) => fs.writeFile(d + '/fl', 'flushed', { flush: true }, (err) => { show('writeFile flush', err); log('fl ' + fs.readFileSync(d + '/fl', 'latin1')); next(); }),
  (next) => fs.appendFile(d + '/p', 'one', { mode: 0o640 }, (err) => { show('appendFile mode 640', err); log('mode ' + mode(d + '/p')); next(); }),
  (next) => fs.appendFile(d + '/p', '\u00e9', { encoding: 'latin1' }, (err) => { show('appendFile latin1', err); log('p ' + hex(d + '/p')); next(); }),
  (next) => fs.appendFile(d + '/p', 'new', { flag: 'w' }, (err) => { show('appendFile flag w', err); log('p ' + hex(d + '/p')); next(); }),
  (next) => fs.appendFile(d + '/p', 'z', { flag: 'ax' }, (err) => { show('appendFile ax existing', err); next(); }),
  (next) => {
    sync('writeFileSync hex', () => fs.writeFileSync(d + '/s', 'cafe', { encoding: 'hex' }));
    log('s ' + hex(d + '/s'));
    sync('writeFileSync wx', () => fs.writeFileSync(d + '/s', 'x', { flag: 'wx' }));
    sync('appendFileSync base64', () => fs.appendFileSync(d + '/s', 'AQI=', { encoding: 'base64' }));
    log('s ' + hex(d + '/s'));
    sync('appendFileSync flush', () => fs.appendFileSync(d + '/fl', '!', { flush: true }));
    log('fl ' + fs.readFileSync(d + '/fl', 'latin1'));
    sync('appendFileSync mode 600', () => fs.appendFileSync(d + '/t', 'x', { mode: 0o600 }));
    log('mode ' + mode(d + '/t'));
    sync('writeFileSync bad encoding', () => fs.writeFileSync(d + '/s', 'x', { encoding: 'nope' }));
    sync('writeFileSync bad flag', () => fs.writeFileSync(d + '/s', 'x', { flag: 'q' }));
    sync('writeFileSync mode -1', () => fs.writeFileSync(d + '/s', 'x', { mode: -1 }));
    sync('writeFile bad flag', () => fs.writeFile(d + '/s', 'x', { flag: 'q' }, () => log('not called')));
    next();
  },
  (next) => fs.promises.writeFile(d + '/q', '414243', { encoding: 'hex', mode: 0o600 }).then(() => {
    show('promises.writeFile hex'); log('q ' + fs.readFileSync(d + '/q', 'latin1') + ' mode ' + mode(d + '/q')); next();
  }),
  (next) => fs.promises.writeFile(d + '/q', 'x', { flag: 'wx' }).catch((e) => { show('promises.writeFile wx', e); next(); }),
  (next) => fs.promises.appendFile(d + '/q', 'RA==', { encoding: 'base64' }).then(() => {
    show('promises.appendFile base64'); log('q ' + fs.readFileSync(d + '/q', 'latin1')); next();
  }),
  (next) => fs.promises.appendFile(d + '/q', 'x', { encoding: 'nope' }).catch((e) => { show('promises.appendFile bad encoding', e); next(); }),
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
