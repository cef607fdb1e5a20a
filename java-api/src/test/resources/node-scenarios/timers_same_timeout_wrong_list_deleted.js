// Port of test-timers-same-timeout-wrong-list-deleted.js: clearing a fired timer must not delete
// the new list of its duration, so a newer timer of that duration can still be cleared (the loop
// then ends at once instead of waiting; the internal handle counting is left out).
const TIMEOUT = 100;
const handle1 = setTimeout(function() {
  console.log('outer');
  clearTimeout(handle1);
  const handle2 = setTimeout(function() {
    console.log('inner (never)');
  }, TIMEOUT);
  setTimeout(function() {
    console.log('clearing the newer timer');
    clearTimeout(handle2);
    setImmediate(function() {
      setImmediate(function() {
        console.log('immediates done');
      });
    });
  }, 1);
}, TIMEOUT);
process.on('exit', () => console.log('exit'));
