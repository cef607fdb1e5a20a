// Port of test-timers-non-integer-delay.js: an interval of 1.1 ms fires 50 times (no hang) and
// timers of non-integer delays keep their order.
const TIMEOUT_DELAY = 1.1;
let N = 50;
let fired = 0;
const interval = setInterval(() => {
  fired++;
  if (--N === 0) {
    clearInterval(interval);
    console.log('interval fired ' + fired + ' times');
  }
}, TIMEOUT_DELAY);
const ordering = [];
setTimeout(() => ordering.push(1), 1);
setTimeout(() => ordering.push(2), 1.8);
setTimeout(() => ordering.push(3), 1.1);
setTimeout(() => ordering.push(4), 1);
setTimeout(() => console.log('ordering ' + ordering.join(',')), 2);
