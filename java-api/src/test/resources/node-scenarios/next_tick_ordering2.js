// Port of test-next-tick-ordering2.js: a tick queued by a tick runs before a 0 ms timeout.
const order = [];
process.nextTick(function() {
  setTimeout(function() {
    order.push('setTimeout');
  }, 0);
  process.nextTick(function() {
    order.push('nextTick');
  });
});
process.on('exit', function() {
  console.log(order.join(','));
});
