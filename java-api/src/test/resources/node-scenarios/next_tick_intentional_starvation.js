// Port of test-next-tick-intentional-starvation.js: ticks always come before other events; a
// 50 ms timer waits while ticks keep queueing ticks for 100 ms.
let ran = false;
let starved = false;
const start = Date.now();
let timerRan = false;
function spin() {
  ran = true;
  if (Date.now() - start > 100) {
    console.log('The timer is starving, just as we planned.');
    starved = true;
    return;
  }
  process.nextTick(spin);
}
function onTimeout() {
  if (!starved) throw new Error('The timer escaped!');
  console.log('The timer ran once the ban was lifted');
  timerRan = true;
}
spin();
setTimeout(onTimeout, 50);
process.on('exit', function() {
  console.log('ran ' + ran + ' starved ' + starved + ' timerRan ' + timerRan);
});
