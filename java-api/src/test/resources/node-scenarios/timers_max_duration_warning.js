// Port of test-timers-max-duration-warning.js: a delay over TIMEOUT_MAX (2^31-1) emits a
// TimeoutOverflowWarning (two lines of message) on the next tick and becomes 1 ms; the timers
// are cleared at once and never fire. (The timers.enroll/active part is internal API: left out.)
const OVERFLOW = Math.pow(2, 31);
function timerNotCanceled() {
  console.log('timer should have been canceled');
}
let warnings = 0;
process.on('warning', (warning) => {
  const lines = warning.message.split('\n');
  console.log('warning ' + warning.name + ': ' + lines[0] + ' (' + lines.length + ' lines)');
  warnings++;
});
{
  const timeout = setTimeout(timerNotCanceled, OVERFLOW);
  clearTimeout(timeout);
}
{
  const timeout = setInterval(timerNotCanceled, OVERFLOW);
  clearInterval(timeout);
}
setTimeout(() => console.log('an overflowing delay runs after 1 ms'), Infinity);
process.on('exit', () => console.log('warnings ' + warnings));
console.log('main');
