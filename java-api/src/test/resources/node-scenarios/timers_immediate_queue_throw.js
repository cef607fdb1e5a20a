// Port of test-timers-immediate-queue-throw.js (without its domain part): when an immediate
// throws, the rest of the queue runs after the error handling, and it does not include the
// immediates queued after the processing of the queue started.
let threw = false;
let stage = -1;
let runs = 0;
const QUEUE = 10;
process.once('uncaughtException', (err) => {
  console.log('uncaught "' + err.message + '" at stage ' + stage);
});
const run = (callStage) => {
  runs++;
  if (callStage < stage) console.log('out of order: ' + callStage + ' after ' + stage);
  if (callStage !== stage) console.log('stage ' + callStage);
  stage = callStage;
  if (threw) return;
  setImmediate(run, 2);
};
for (let i = 0; i < QUEUE; i++) setImmediate(run, 0);
setImmediate(() => {
  threw = true;
  process.nextTick(() => console.log('tick after the throw: stage ' + stage));
  throw new Error('setImmediate Err');
});
for (let i = 0; i < QUEUE; i++) setImmediate(run, 1);
process.on('exit', () => console.log('runs ' + runs));
