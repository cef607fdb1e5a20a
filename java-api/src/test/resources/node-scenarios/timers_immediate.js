// Port of test-timers-immediate.js: immediates run after main; a cleared one does not run.
let mainFinished = false;
let immediateB;
setImmediate(function() {
  console.log('A: mainFinished ' + mainFinished);
  clearImmediate(immediateB);
});
immediateB = setImmediate(function() {
  console.log('B (never)');
});
setImmediate(function() {
  console.log('C');
});
process.on('exit', function() {
  console.log('exit');
});
mainFinished = true;
