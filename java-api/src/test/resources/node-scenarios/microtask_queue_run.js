// Port of test-microtask-queue-run.js: microtasks run after timers (without ticks, and with a
// tick queued by the microtask).
function enqueueMicrotask(fn) {
  Promise.resolve().then(fn);
}
let done = 0;
process.on('exit', function() {
  console.log('done ' + done);
});
setTimeout(function() {
  enqueueMicrotask(function() {
    console.log('microtask from timeout 1');
    done++;
  });
}, 0);
setTimeout(function() {
  let called = false;
  enqueueMicrotask(function() {
    console.log('microtask from timeout 2');
    process.nextTick(function() {
      console.log('tick from the microtask');
      called = true;
    });
  });
  setTimeout(function() {
    console.log('timeout 3, called ' + called);
    if (called) done++;
  }, 0);
}, 0);
