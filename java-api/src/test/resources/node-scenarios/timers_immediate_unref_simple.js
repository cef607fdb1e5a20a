// Port of test-timers-immediate-unref-simple.js: an unref'd immediate with nothing else keeping
// the loop alive never runs.
setImmediate(() => console.log('never')).unref();
process.on('exit', () => console.log('exit'));
console.log('main');
