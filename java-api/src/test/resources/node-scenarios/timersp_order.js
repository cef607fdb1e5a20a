// timers/promises setTimeout/setImmediate resolve in the timers and check phases, in order with
// the callback forms (their reactions run in the microtask drain after each callback); a delay
// below 1 is 1 ms; the value is what the promise fulfills with.
const log = (s) => console.log(s);
const tp = require('timers/promises');
tp.setTimeout(5, 'p1').then((v) => log('promise timeout ' + v));
setTimeout(() => {
  log('callback timeout');
  process.nextTick(() => log('tick after callback timeout'));
}, 5);
tp.setTimeout(5).then((v) => log('promise timeout without value ' + v));
setTimeout(() => {
  log('second list');
  tp.setImmediate('i1').then((v) => log('promise immediate ' + v));
  setImmediate(() => log('callback immediate'));
  tp.setImmediate('i2').then((v) => log('promise immediate ' + v));
  tp.setTimeout(0, 'zero').then((v) => {
    log('promise timeout ' + v);
    tp.setTimeout(-5, 'negative').then((w) => log('promise timeout ' + w));
  });
  Promise.resolve().then(() => log('microtask in second list'));
}, 40);
process.nextTick(() => log('tick'));
log('main end');
