// Port of test-timers-refresh-in-callback.js: refresh() inside the callback keeps the loop alive
// to run the timer again.
let didCall = false;
let calls = 0;
const timer = setTimeout(() => {
  calls++;
  console.log('call ' + calls);
  if (!didCall) {
    didCall = true;
    timer.refresh();
  }
}, 1);
process.on('exit', () => console.log('exit after ' + calls + ' calls'));
