// When a rejection counts as unhandled: a handler added in a tick or in a later microtask of the
// same drain is in time (no event); one added in a timer after the report gets 'rejectionHandled'.
const log = (s) => console.log(s);
process.on('unhandledRejection', (r) => log('unhandledRejection ' + r.message));
process.on('rejectionHandled', (p) => log('rejectionHandled ' + names.get(p)));
const names = new Map();
const a = Promise.reject(new Error('a'));
names.set(a, 'a');
process.nextTick(() => {
  log('tick: handle a');
  a.catch((e) => log('caught ' + e.message));
});
const b = Promise.reject(new Error('b'));
names.set(b, 'b');
Promise.resolve().then(() => {}).then(() => {}).then(() => {
  log('third microtask: handle b');
  b.catch((e) => log('caught ' + e.message));
});
const c = Promise.reject(new Error('c'));
names.set(c, 'c');
setTimeout(() => {
  log('timer: handle c');
  c.catch((e) => log('caught ' + e.message));
  process.nextTick(() => log('tick after handling c'));
}, 1);
const d = new Promise((_, reject) => setTimeout(() => reject(new Error('d')), 5));
names.set(d, 'd');
setTimeout(() => {
  log('timer: handle d');
  d.then(() => log('never'), (e) => log('caught ' + e.message));
}, 10);
log('main');
