// Port of test-next-tick-doesnt-hang.js: a lone nextTick does not keep the loop alive.
process.nextTick(function() {
  console.log('tick');
});
process.on('exit', () => console.log('exit'));
