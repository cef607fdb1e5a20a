// AbortSignal.abort(), AbortSignal.any() (its listeners run after all of the source's, chained
// composites follow the original sources), AbortSignal.timeout() (TimeoutError; its timer does not
// keep the process alive) and their argument errors.
const log = (s) => console.log(s);
const a = AbortSignal.abort('given');
log('abort(reason) ' + a.aborted + ' ' + a.reason);
const d = AbortSignal.abort();
log('abort() ' + d.reason.name + ' ' + d.reason.code + ' ' + d.reason.message);
const c1 = new AbortController();
const c2 = new AbortController();
c1.signal.addEventListener('abort', () => log('c1 listener before any()'));
const any = AbortSignal.any([c1.signal, c2.signal]);
const any2 = AbortSignal.any([any, c2.signal]);
any.addEventListener('abort', () => log('any aborted ' + any.reason + ' any2 ' + any2.aborted));
any2.onabort = () => log('any2 aborted ' + any2.reason);
c1.signal.addEventListener('abort', () => log('c1 listener after any(), any.aborted ' + any.aborted));
log('any pending ' + any.aborted);
c1.abort('r1');
c2.abort('r2');
log('any reason ' + any.reason + ', any2 reason ' + any2.reason);
const pre = AbortSignal.any([c2.signal, new AbortController().signal]);
log('any of an aborted one: ' + pre.aborted + ' ' + pre.reason);
const empty = AbortSignal.any([]);
log('any([]) ' + empty.aborted);
const errs = [
  () => AbortSignal.timeout(-1),
  () => AbortSignal.timeout(1.5),
  () => AbortSignal.timeout(4294967296),
  () => AbortSignal.timeout(5000000000),
  () => AbortSignal.any(null),
  () => AbortSignal.any([c1.signal, null]),
];
for (const f of errs) {
  try {
    f();
  } catch (e) {
    log(e.name + ' ' + e.code + ' ' + String(e));
  }
}
const t = AbortSignal.timeout(10);
t.addEventListener('abort', () => {
  log('timeout ' + t.reason.name + ' ' + t.reason.code + ' ' + t.reason.message);
  try {
    t.throwIfAborted();
  } catch (e) {
    log('throwIfAborted ' + String(e));
  }
});
setTimeout(() => {
  log('50 ms timer, timeout aborted ' + t.aborted);
  const forever = AbortSignal.timeout(100000);
  forever.onabort = () => log('never: an unref timer');
}, 50);
process.on('exit', () => log('exit'));
