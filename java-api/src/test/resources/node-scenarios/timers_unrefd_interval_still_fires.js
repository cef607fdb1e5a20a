// Port of test-timers-unrefd-interval-still-fires.js: an unref'd interval fires while a ref'd
// one keeps the loop alive.
const N = 3;
let nbIntervalFired = 0;
const keepOpen = setInterval(function() {}, 9999);
const timer = setInterval(function() {
  ++nbIntervalFired;
  console.log('fired ' + nbIntervalFired);
  if (nbIntervalFired === N) {
    clearInterval(timer);
    clearInterval(keepOpen);
  }
}, 1);
timer.unref();
