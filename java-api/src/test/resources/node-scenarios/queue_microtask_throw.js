// A queueMicrotask callback that throws goes to 'uncaughtException'; the microtasks after it
// still run in the same checkpoint, and the ticks they queue after that.
const log = (s) => console.log(s);
process.on('uncaughtException', (e, origin) => {
  log('uncaught ' + e.message + ' ' + origin);
  process.nextTick(() => log('tick from handler'));
  queueMicrotask(() => log('micro from handler'));
});
queueMicrotask(() => {
  log('micro 1 throws');
  process.nextTick(() => log('tick from micro 1'));
  throw new Error('m1');
});
queueMicrotask(() => log('micro 2'));
Promise.resolve().then(() => log('promise 3'));
process.nextTick(() => log('tick 1'));
setTimeout(() => {
  log('timeout');
  queueMicrotask(() => {
    throw new Error('m2');
  });
  queueMicrotask(() => log('micro after m2'));
  process.nextTick(() => log('tick in timeout'));
}, 1);
setTimeout(() => log('second timeout'), 1);
log('main');
