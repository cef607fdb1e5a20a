// 'beforeExit' listeners in order with their ticks and microtasks after all of them; exitCode
// set in 'beforeExit' reaches 'exit'; 'exit' listeners run in order, then the microtasks they
// queued (a natural exit, not process.exit()), but never their ticks or immediates.
const log = (s) => console.log(s);
let round = 0;
process.on('beforeExit', (code) => {
  round++;
  log('beforeExit 1 round ' + round + ' code ' + code);
  process.nextTick(() => log('tick from beforeExit 1'));
  Promise.resolve().then(() => log('promise from beforeExit 1'));
  if (round === 1) {
    setImmediate(() => log('immediate from beforeExit'));
  } else {
    process.exitCode = 3;
  }
});
process.on('beforeExit', () => {
  log('beforeExit 2');
  queueMicrotask(() => log('micro from beforeExit 2'));
});
process.on('exit', (code) => {
  log('exit 1 code ' + code);
  Promise.resolve().then(() => log('promise from exit'));
  setImmediate(() => log('immediate from exit (never)'));
  process.nextTick(() => log('tick from exit (never)'));
});
process.on('exit', (code) => log('exit 2 code ' + code + ' exitCode ' + process.exitCode));
log('main');
