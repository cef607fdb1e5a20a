// Rejected combinator results left unhandled are reported like any promise: in the order they
// were rejected (any([]) at creation, the others in their inputs' jobs), after the microtasks;
// a late handler gets 'rejectionHandled'.
const log = (s) => console.log(s);
const names = new Map();
const reasonOf = (r) => (r instanceof AggregateError ? 'AggregateError ' + r.errors.length : r.message);
process.on('unhandledRejection', (r, p) => {
  log('unhandledRejection ' + names.get(p) + ' ' + reasonOf(r));
  process.nextTick(() => log('tick from handler ' + names.get(p)));
});
process.on('rejectionHandled', (p) => log('rejectionHandled ' + names.get(p)));
const a = Promise.all([Promise.reject(new Error('all-input'))]);
names.set(a, 'all');
const b = Promise.any([]);
names.set(b, 'any-empty');
const d = Promise.any([Promise.reject(new Error('d1')), Promise.reject(new Error('d2'))]);
names.set(d, 'any');
const c = Promise.race([new Promise((_, reject) => setTimeout(() => reject(new Error('race-late')), 1))]);
names.set(c, 'race');
const s = Promise.allSettled([Promise.reject(new Error('settled-input'))]);
names.set(s, 'allSettled');
s.then((list) => log('allSettled fulfilled ' + list[0].status));
process.nextTick(() => log('tick'));
Promise.resolve().then(() => log('micro 1')).then(() => log('micro 2')).then(() => log('micro 3'));
setTimeout(() => {
  log('timeout: handle all late');
  a.catch((e) => log('late catch ' + e.message));
}, 3);
log('main');
