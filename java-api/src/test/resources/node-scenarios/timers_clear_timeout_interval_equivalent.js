// Port of test-timers-clear-timeout-interval-equivalent.js: clearTimeout disarms an interval and
// clearInterval a timeout.
const interval = setInterval(() => console.log('interval (never)'), 1);
clearTimeout(interval);
const timeout = setTimeout(() => console.log('timeout (never)'), 1);
clearInterval(timeout);
setTimeout(() => console.log('a later timer runs'), 5);
process.on('exit', () => console.log('exit'));
