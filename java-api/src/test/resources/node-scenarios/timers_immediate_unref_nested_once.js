// Port of test-timers-immediate-unref-nested-once.js: the same, queued from an immediate.
setImmediate(() => {
  console.log('outer immediate');
  setImmediate(() => console.log('never')).unref();
});
process.on('exit', () => console.log('exit'));
