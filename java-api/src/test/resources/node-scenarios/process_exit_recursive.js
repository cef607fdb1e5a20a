// Port of test-process-exit-recursive.js: process.exit() inside an 'exit' listener does not
// recurse; it only changes the code.
let nexits = 0;
process.on('exit', function(code) {
  console.log('exit ' + nexits++ + ' code ' + code);
  process.exit(0);
});
process.on('exit', function(code) {
  console.log('second listener, code ' + code);
});
process.exit(1);
