// ref: false on timers/promises: unref'd timeouts do not keep the process alive (they never
// fire here); an unref'd promise immediate queued from a timer still runs in that turn's check
// phase, its reaction after the timer's microtasks.
const log = (s) => console.log(s);
const tp = require('timers/promises');
tp.setTimeout(100000, 'long', { ref: false }).then((v) => log('never: ' + v));
tp.setTimeout(20, 'ref\'d timeout').then((v) => {
  log(v);
  tp.setImmediate('unref\'d immediate', { ref: false }).then((w) => log(w));
  tp.setTimeout(1, 'unref\'d 1 ms timeout', { ref: false }).then((w) => log('never: ' + w));
  Promise.resolve().then(() => log('microtask after the timer'));
});
process.on('exit', () => log('exit'));
log('main end');
