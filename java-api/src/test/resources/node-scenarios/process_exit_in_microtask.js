// process.exit() from a microtask: 'exit' listeners run at once, with the code given; pending
// ticks, later microtasks, timers and the microtasks of 'exit' listeners never run.
const log = (s) => console.log(s);
process.on('exit', (code) => {
  log('exit ' + code + ' exitCode ' + process.exitCode);
  Promise.resolve().then(() => log('promise from exit (never)'));
});
process.exitCode = 4;
setTimeout(() => log('timer (never)'), 0);
process.nextTick(() => log('tick 1'));
Promise.resolve().then(() => {
  log('microtask exits');
  process.nextTick(() => log('tick from microtask (never)'));
  process.exit(9);
});
Promise.resolve().then(() => log('second microtask (never)'));
log('main');
