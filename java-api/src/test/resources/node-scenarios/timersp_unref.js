// ref: false on timers/promises: unref'd timeouts do not keep the process alive (they never
// fire here); an unref'd promise immediate queued in main runs in the first turn's check phase
// (the ref'd timeout keeps the loop running). (Not queued from the last timer: whether that one
// runs depends on libuv's timer phase, first in 1.44's turn, last from 1.45 on.)
const log = (s) => console.log(s);
const tp = require('timers/promises');
tp.setTimeout(100000, 'long', { ref: false }).then((v) => log('never: ' + v));
tp.setImmediate('unref\'d immediate', { ref: false }).then((w) => log(w));
tp.setTimeout(100, 'ref\'d timeout').then((v) => {
  log(v);
  tp.setTimeout(1, 'unref\'d 1 ms timeout', { ref: false }).then((w) => log('never: ' + w));
  Promise.resolve().then(() => log('microtask after the timer'));
});
process.on('exit', () => log('exit'));
log('main end');
