// Port of test-timers-interval-throw.js: an interval that throws is rescheduled.
let count = 2;
const interval = setInterval(() => { throw new Error('IntervalError'); }, 1);
process.on('uncaughtException', (err) => {
  console.log('uncaught ' + err.message);
  if (--count === 0) {
    clearInterval(interval);
  }
});
process.on('exit', () => console.log('exit'));
