// Port of test-microtask-queue-integration.js: a tick queued by a microtask runs before a
// 0 ms timeout queued by the same microtask; in the first tick and from a tick callback.
let expected = 0;
let done = 0;
process.on('exit', function() {
  console.log('done ' + done + ' of ' + expected);
});
function test(name) {
  let nextTickCalled = false;
  expected++;
  Promise.resolve().then(function() {
    process.nextTick(function() {
      nextTickCalled = true;
    });
    setTimeout(function() {
      console.log(name + ': nextTickCalled ' + nextTickCalled);
      done++;
    }, 0);
  });
}
test('first tick');
setTimeout(function() {
  process.nextTick(() => test('tick callback'));
}, 0);
