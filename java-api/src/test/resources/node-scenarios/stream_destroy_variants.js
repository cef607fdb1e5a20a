// destroy() on Readable, Writable and Duplex: without an error only 'close'; with one 'error'
// then 'close' (both on the next tick); destroy twice; emitClose:false; autoDestroy:false keeps
// an ended stream open; errored/destroyed/closed flags before and after.
const { Readable, Writable, Duplex } = require('stream');
const log = (s) => console.log(s);
function watch(name, s) {
  s.on('error', (e) => log(name + ' error ' + e.message + ' closed=' + s.closed));
  s.on('close', () => log(name + ' close errored=' + (s.errored && s.errored.message) + ' closed=' + s.closed));
  s.on('end', () => log(name + ' end'));
  s.on('finish', () => log(name + ' finish'));
}
const r1 = new Readable({ read() {} });
watch('r1', r1);
r1.destroy();
log('r1 destroyed=' + r1.destroyed + ' closed=' + r1.closed);
const w1 = new Writable({ write(c, e, cb) { cb(); } });
watch('w1', w1);
w1.destroy(new Error('w1 boom'));
w1.destroy(new Error('second (ignored)'));
log('w1 errored=' + w1.errored.message);
const d1 = new Duplex({ read() {}, write(c, e, cb) { cb(); } });
watch('d1', d1);
d1.destroy(new Error('d1 boom'));
const r2 = new Readable({ read() {}, emitClose: false });
watch('r2', r2);
r2.destroy(new Error('r2 boom'));
process.nextTick(() => log('tick after destroys'));
setTimeout(() => {
  const r3 = new Readable({ read() {}, autoDestroy: false });
  watch('r3', r3);
  r3.push('x');
  r3.push(null);
  r3.resume();
  setTimeout(() => {
    log('r3 destroyed=' + r3.destroyed + ' readableEnded=' + r3.readableEnded);
    r3.destroy();
    const w3 = new Writable({ autoDestroy: false, write(c, e, cb) { cb(); } });
    watch('w3', w3);
    w3.end('x', () => {
      log('w3 end cb destroyed=' + w3.destroyed + ' finished=' + w3.writableFinished);
      w3.destroy();
    });
  }, 5);
}, 5);
log('main');
