// fs.watch: a missing path throws (syscall watch); watching a directory, creating one file gives
// 'rename' with the entry's name first; watching a file, appending gives 'change' with its own
// name; close() twice emits one 'close' on the next tick; a non-persistent watcher does not keep
// the process alive. fs.watchFile: a missing file reports zeroed stats once, its creation the new
// size; unwatchFile with the last listener stops it ('stop'). <d> is the scratch directory.
const fs = require('fs');
const os = require('os');
const path = require('path');
const log = (s) => console.log(s);
const d = fs.mkdtempSync(path.join(os.tmpdir(), 'uv4j-'));
const rel = (s) => (s === undefined ? 'undefined' : String(s).split(d).join('<d>'));
try {
  fs.watch(d + '/missing');
} catch (e) {
  log('watch missing: ' + e.code + ' errno=' + e.errno + ' syscall=' + e.syscall + ' path=' + rel(e.path) + ' | ' + rel(e.message));
}
for (const [label, fn] of [
  ['watchFile no listener', () => fs.watchFile(d + '/x')],
  ['watchFile interval -1', () => fs.watchFile(d + '/x', { interval: -1 }, () => {})],
]) {
  try {
    fn();
    log(label + ': ok');
  } catch (e) {
    log(label + ': ' + e.code + ' | ' + e.message);
  }
}
fs.unwatchFile(d + '/never');
log('unwatchFile unknown: ok');
fs.writeFileSync(d + '/f', '1');
const w = fs.watch(d, (type, name) => log('listener ' + type + ' ' + name));
w.once('change', (type, name) => {
  log('first ' + type + ' ' + name);
  w.close();
  w.close();
  log('closed');
});
w.on('close', () => {
  log('close event');
  const w2 = fs.watch(d + '/f');
  w2.on('change', (type, name) => {
    log('file ' + type + ' ' + name);
    w2.close();
  });
  w2.on('close', () => {
    log('close2');
    watchFileStep();
  });
  fs.appendFileSync(d + '/f', '2');
});
fs.writeFileSync(d + '/new', 'x');

function watchFileStep() {
  const p = d + '/g';
  let n = 0;
  const other = () => log('other listener');
  const l = (curr, prev) => {
    n++;
    log('watchFile ' + n + ' curr size=' + curr.size + ' isFile=' + curr.isFile() + ' nlink=' + curr.nlink
        + ' prev size=' + prev.size + ' isFile=' + prev.isFile() + ' nlink=' + prev.nlink);
    if (n === 1) {
      fs.unwatchFile(p, other);
      fs.writeFileSync(d + '/g.tmp', 'hello');
      fs.renameSync(d + '/g.tmp', p); // appears whole: no poll sees it empty
    } else {
      fs.unwatchFile(p, l);
      log('unwatched');
    }
  };
  const sw = fs.watchFile(p, { interval: 20 }, l);
  const again = fs.watchFile(p, other);
  log('same watcher ' + (sw === again) + ' listeners ' + sw.listenerCount('change'));
  sw.on('stop', () => {
    log('stop');
    const quiet = fs.watch(d, { persistent: false });
    quiet.on('close', () => log('never: not closed'));
    fs.rmSync(d, { recursive: true });
    log('done');
  });
}
