// After test-promise-unhandled-throw*.js (Node 20's default --unhandled-rejections=throw): an
// unhandled rejection becomes an uncaught exception after the microtasks drain; one handled
// within the same turn does not.
process.on('uncaughtException', (err) => console.log('uncaught ' + err.message));
Promise.reject(new Error('one'));
const late = Promise.reject(new Error('handled in time'));
process.nextTick(() => {
  console.log('tick');
  late.catch((e) => console.log('caught ' + e.message));
});
Promise.resolve().then(() => console.log('microtask'));
setTimeout(() => {
  console.log('timeout');
  Promise.reject(new Error('two'));
  process.nextTick(() => console.log('tick after two'));
}, 1);
process.on('exit', (code) => console.log('exit ' + code));
