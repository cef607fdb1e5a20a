// Port of test-next-tick-when-exiting.js: a tick queued in an 'exit' listener after
// process.exit() never runs.
process.on('exit', () => {
  console.log('exit');
  process.nextTick(() => console.log('tick from exit (never)'));
});
process.nextTick(() => console.log('tick before exit (never)'));
process.exit();
