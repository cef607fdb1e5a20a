// Port of test-promise-unhandled-throw-handler.js (default 'throw' mode): with no
// 'unhandledRejection' listener, each unhandled rejection reaches 'uncaughtException' with origin
// 'unhandledRejection', in order; no 'warning', no 'rejectionHandled'; the exit code stays 0.
// (The `null` reason of the original becomes a second Error: Java's rejections are Throwables.)
const err1 = new Error('One');
const errors = [err1, 'Two'];
const ref = new Promise(() => {
  throw err1;
});
Promise.reject(new Error('Two'));
process.on('warning', () => console.log('unexpected warning'));
process.on('rejectionHandled', () => console.log('unexpected rejectionHandled'));
process.on('exit', (code) => console.log('exit ' + code));
const timer = setTimeout(() => console.log('timer not cleared ' + ref), 1000);
let count = 2;
process.on('uncaughtException', (err, origin) => {
  const known = errors.shift();
  console.log('uncaught ' + err.message + ' origin ' + origin + ' known ' + (known === err || known === err.message));
  if (--count === 0) {
    clearTimeout(timer);
  }
});
console.log('main');
