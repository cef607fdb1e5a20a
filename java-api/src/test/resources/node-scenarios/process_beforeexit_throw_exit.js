// Port of test-process-beforeexit-throw-exit.js: 'exit' is emitted when 'beforeExit' throws.
process.on('exit', (code) => {
  console.log('exit ' + code);
  process.exitCode = 0;
});
process.on('beforeExit', () => {
  console.log('beforeExit');
  throw new Error('from beforeExit');
});
