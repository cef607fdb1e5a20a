// The input is iterated lazily: each value gets its then before the next is taken, so jobs
// queued by the iterator itself interleave as in the specification; an iterator that throws
// rejects the combinator's promise.
const log = (s) => console.log(s);
function* inputs() {
  log('yield 1');
  yield Promise.resolve('a');
  log('after yield 1');
  queueMicrotask(() => {
    log('micro from the iterator');
    queueMicrotask(() => log('micro from the iterator, again'));
  });
}
Promise.all(inputs()).then((v) => log('all ' + v.join(',')));
function* failing() {
  yield 1;
  throw new Error('iterator failed');
}
Promise.all(failing()).then(() => log('never'), (e) => log('all of failing ' + e.message));
Promise.race(failing()).then((v) => log('race of failing ' + v), (e) => log('race of failing rejected ' + e.message));
log('main');
