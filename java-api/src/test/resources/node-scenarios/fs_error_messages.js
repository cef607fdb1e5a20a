// fs callback errors as users see them: code, errno, syscall, path/dest and err.message
// (the scratch directory printed as <d>), each started when the previous one called back.
const fs = require('fs');
const os = require('os');
const path = require('path');
const log = (s) => console.log(s);
const d = fs.mkdtempSync(path.join(os.tmpdir(), 'uv4j-'));
const rel = (s) => (s === undefined ? 'undefined' : String(s).split(d).join('<d>'));
fs.mkdirSync(d + '/dir');
fs.writeFileSync(d + '/dir/x', 'x');
fs.writeFileSync(d + '/file', 'f');
function show(label, err) {
  if (!err) {
    log(label + ': ok');
    return;
  }
  const m = (s) => rel(s).replace(/t-[A-Za-z0-9]{6}/, 't-XXXXXX');
  log(label + ': ' + err.code + ' errno=' + err.errno + ' syscall=' + err.syscall + ' path=' + m(err.path)
      + ' dest=' + rel(err.dest) + ' | ' + m(err.message));
}
const steps = [
  (next) => fs.readFile(d + '/missing', (err) => { show('readFile missing', err); next(); }),
  (next) => fs.readFile(d + '/dir', (err) => { show('readFile dir', err); next(); }),
  (next) => fs.mkdir(d + '/dir', (err) => { show('mkdir existing', err); next(); }),
  (next) => fs.mkdir(d + '/no/such/parent', (err) => { show('mkdir no parent', err); next(); }),
  (next) => fs.rmdir(d + '/dir', (err) => { show('rmdir not empty', err); next(); }),
  (next) => fs.rmdir(d + '/file', (err) => { show('rmdir a file', err); next(); }),
  (next) => fs.unlink(d + '/dir', (err) => { show('unlink dir', err); next(); }),
  (next) => fs.rename(d + '/missing', d + '/other', (err) => { show('rename missing', err); next(); }),
  (next) => fs.copyFile(d + '/missing', d + '/copy', (err) => { show('copyFile missing', err); next(); }),
  (next) => fs.open(d + '/file', 'wx', (err) => { show('open wx existing', err); next(); }),
  (next) => fs.open(d + '/dir', 'w', (err) => { show('open dir for writing', err); next(); }),
  (next) => fs.readdir(d + '/file', (err) => { show('readdir a file', err); next(); }),
  (next) => fs.stat(d + '/file/below', (err) => { show('stat below a file', err); next(); }),
  (next) => fs.writeFile(d + '/missing/f', 'x', (err) => { show('writeFile missing dir', err); next(); }),
  (next) => fs.appendFile(d + '/dir', 'x', (err) => { show('appendFile dir', err); next(); }),
  (next) => fs.rm(d + '/dir', (err) => { show('rm dir', err); next(); }),
  (next) => fs.rm(d + '/missing', (err) => { show('rm missing', err); next(); }),
  (next) => fs.mkdtemp(d + '/missing/t-', (err) => { show('mkdtemp missing', err); next(); }),
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
