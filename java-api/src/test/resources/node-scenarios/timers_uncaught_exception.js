// Port of test-timers-uncaught-exception.js: the first of two same-due timers throws; the
// second still runs.
let exceptions = 0;
let timer1 = 0;
let timer2 = 0;
console.log('set first timer');
setTimeout(function() {
  console.log('first timer');
  timer1++;
  throw new Error('BAM!');
}, 100);
console.log('set second timer');
setTimeout(function() {
  console.log('second timer, timer1 ' + timer1);
  timer2++;
}, 100);
function uncaughtException(err) {
  console.log('uncaught handler ' + err.message);
  exceptions++;
}
process.on('uncaughtException', uncaughtException);
process.on('exit', function() {
  console.log('exit: ' + exceptions + ' ' + timer1 + ' ' + timer2);
});
