// Port of test-timers-immediate-unref.js: ref/unref of immediates are chainable; an unref'd
// immediate runs while something else keeps the loop alive, not when nothing does.
setImmediate(firstStep).ref().unref().unref().ref();
function firstStep() {
  console.log('firstStep');
  let count = 2;
  const dec = () => { if (--count === 0) setImmediate(finalStep); };
  setImmediate(() => { console.log('unref immediate'); dec(); }).unref();
  setTimeout(() => { console.log('timeout'); dec(); }, 50);
}
function finalStep() {
  console.log('finalStep');
  setImmediate(() => console.log('never')).unref();
}
process.on('exit', () => console.log('exit'));
