// Port of test-timers-nested.js: a timer added to the list being processed, with the same delay,
// does not run in the same pass even when the outer callback took that long (0 and 100 ms).
function busyLoop(ms) {
  const start = Date.now();
  while (Date.now() - start < ms);
}
[0, 100].forEach(function(delay) {
  let nestedCalled = false;
  setTimeout(function A() {
    console.log('A ' + delay);
    setTimeout(function B() {
      console.log('B ' + delay);
      nestedCalled = true;
    }, delay);
    busyLoop(delay);
    process.nextTick(function() {
      console.log('tick after A ' + delay + ': nestedCalled ' + nestedCalled);
    });
    process.on('exit', function onExit() {
      console.log('exit ' + delay + ': nestedCalled ' + nestedCalled);
    });
  }, delay);
});
