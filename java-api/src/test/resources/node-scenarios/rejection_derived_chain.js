// Which promise is reported unhandled: a rejection passed down a then() chain is reported once,
// for the last promise of the chain; finally() passes it on too; several are reported in the
// order they were rejected, all before the ticks their listener queued.
const log = (s) => console.log(s);
const names = new Map();
process.on('unhandledRejection', (r, p) => {
  log('unhandledRejection ' + r.message + ' from ' + names.get(p));
  process.nextTick(() => log('tick for ' + names.get(p)));
});
const a = Promise.reject(new Error('a'));
names.set(a, 'a');
const a1 = a.then(() => log('never'));
names.set(a1, 'a.then');
const a2 = a1.then(() => log('never'));
names.set(a2, 'a.then.then');
const b = Promise.reject(new Error('b'));
names.set(b, 'b');
const b1 = b.finally(() => log('finally of b'));
names.set(b1, 'b.finally');
const c = new Promise((resolve, reject) => {
  reject(new Error('c'));
  reject(new Error('c again (ignored)'));
  resolve('ignored');
});
names.set(c, 'c');
log('main');
