// Port of nodejs/node test/parallel/test-next-tick-ordering.js: a nextTick queued before 30
// timers of 0..29 ms runs first; the timers then run by due time.
const N = 30;
const done = [];
function getPrinter(timeout) {
  return function() {
    console.log('Running from setTimeout ' + timeout);
    done.push(timeout);
  };
}
process.nextTick(function() {
  console.log('Running from nextTick');
  done.push('nextTick');
});
for (let i = 0; i < N; i += 1) {
  setTimeout(getPrinter(i), i);
}
console.log('Running from main.');
process.on('exit', function() {
  console.log('first done: ' + done[0]);
});
