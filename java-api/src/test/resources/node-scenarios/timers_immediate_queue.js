// Port of test-timers-immediate-queue.js: immediates queued while the queue runs wait for the
// next turn. Since Node 11 the ticks run between immediates, so the tick queued by the first
// run() stops all the others: Node 20 prints hit 1.
let ticked = false;
let hit = 0;
const QUEUE = 1000;
function run() {
  if (hit === 0) {
    process.nextTick(function() { ticked = true; });
  }
  if (ticked) return;
  hit += 1;
  setImmediate(run);
}
for (let i = 0; i < QUEUE; i++) {
  setImmediate(run);
}
process.on('exit', function() {
  console.log('hit', hit);
});
