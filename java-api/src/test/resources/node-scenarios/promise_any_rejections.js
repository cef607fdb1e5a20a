// Promise.any: when every input rejects, an AggregateError with the reasons in input order (not
// the order they came in), from the job of the last rejection; one fulfillment, even late, wins.
const log = (s) => console.log(s);
const late = (ms, v, fail) => new Promise((resolve, reject) => setTimeout(() => {
  log('settle ' + v);
  if (fail) reject(new Error(v)); else resolve(v);
}, ms));
const describe = (e) => e.constructor.name + ': ' + e.message + ' [' + e.errors.map((x) => x.message).join(',') + ']';
// One duration, so the timers fire in the order they were made, each with its microtasks.
const e2 = late(2, 'e2', true);
const f1 = late(2, 'f1', true);
const e4 = late(2, 'e4', true);
const f2 = late(2, 'f2', true);
const ok = late(2, 'ok');
const e1 = late(2, 'e1', true);
const slow = late(2, 'slow');
Promise.any([e1, e2, Promise.reject(new Error('e3')), e4])
  .then(() => log('any 1 fulfilled (never)'), (e) => log('any 1 ' + describe(e)));
Promise.any([f1, ok, f2])
  .then((v) => log('any 2 fulfilled ' + v), (e) => log('any 2 rejected (never)'));
Promise.any([Promise.reject(new Error('x')), 'value']).then((v) => log('any 3 ' + v));
Promise.any([Promise.reject(new Error('y1')), Promise.reject(new Error('y2'))])
  .catch((e) => log('any 4 ' + describe(e)));
Promise.any([slow, Promise.resolve('fast')]).then((v) => log('any 5 ' + v));
Promise.resolve().then(() => log('turn 1')).then(() => log('turn 2')).then(() => log('turn 3'));
log('main');
