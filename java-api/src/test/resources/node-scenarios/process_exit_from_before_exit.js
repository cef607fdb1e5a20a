// Port of test-process-exit-from-before-exit.js: process.exit() in 'beforeExit' exits at once,
// even with new work scheduled.
process.on('beforeExit', function() {
  console.log('beforeExit');
  setTimeout(() => console.log('timeout (never)'), 5);
  process.exit(0);
  console.log('after exit (never)');
});
process.on('exit', (code) => console.log('exit ' + code));
