// A promise rejected (unhandled) inside a timer callback is reported before the next timer of
// the same list runs, and the ticks of the 'unhandledRejection' listener run before it too; the
// same between immediates.
const log = (s) => console.log(s);
process.on('unhandledRejection', (reason) => {
  log('unhandledRejection ' + reason.message);
  process.nextTick(() => log('tick from handler ' + reason.message));
  Promise.resolve().then(() => log('promise from handler ' + reason.message));
});
for (const n of [1, 2]) {
  setTimeout(() => {
    log('timeout ' + n);
    Promise.reject(new Error('t' + n));
    process.nextTick(() => log('tick after t' + n));
  }, 2);
}
setTimeout(() => {
  for (const n of [1, 2]) {
    setImmediate(() => {
      log('immediate ' + n);
      Promise.reject(new Error('i' + n));
      queueMicrotask(() => log('micro after i' + n));
    });
  }
}, 4);
