// Port of test-next-tick.js: nested ticks, a tick from a timer; a tick queued in 'exit' never runs.
process.nextTick(function() {
  console.log('tick 1');
  process.nextTick(function() {
    console.log('tick 1.1');
    process.nextTick(() => console.log('tick 1.1.1'));
  });
});
setTimeout(function() {
  console.log('timeout');
  process.nextTick(() => console.log('tick from timeout'));
}, 50);
process.nextTick(() => console.log('tick 2'));
process.on('exit', function() {
  console.log('exit');
  process.nextTick(() => console.log('tick from exit (never)'));
});
