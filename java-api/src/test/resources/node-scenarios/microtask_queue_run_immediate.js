// Port of test-microtask-queue-run-immediate.js: the same with immediates.
function enqueueMicrotask(fn) {
  Promise.resolve().then(fn);
}
let done = 0;
process.on('exit', function() {
  console.log('done ' + done);
});
setImmediate(function() {
  enqueueMicrotask(function() {
    console.log('microtask from immediate 1');
    done++;
  });
});
setImmediate(function() {
  let called = false;
  enqueueMicrotask(function() {
    console.log('microtask from immediate 2');
    process.nextTick(function() {
      console.log('tick from the microtask');
      called = true;
    });
  });
  setImmediate(function() {
    console.log('immediate 3, called ' + called);
    if (called) done++;
  });
});
