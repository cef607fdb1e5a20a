// In the check phase: each immediate is followed by its ticks then microtasks; immediates queued
// during the phase wait for the next iteration; a tick can clear a later immediate of this pass.
const log = (s) => console.log(s);
let c;
setImmediate(() => {
  log('A');
  setImmediate(() => {
    log('A2 (next iteration)');
    process.nextTick(() => log('tick A2'));
  });
  Promise.resolve().then(() => {
    log('promise A');
    process.nextTick(() => {
      log('tick from promise A clears C');
      clearImmediate(c);
    });
  });
  process.nextTick(() => log('tick A'));
});
setImmediate(() => {
  log('B');
  queueMicrotask(() => log('micro B'));
  setImmediate(() => log('B2 (next iteration)'));
});
c = setImmediate(() => log('C (never)'));
setImmediate(() => {
  log('D');
  process.nextTick(() => setImmediate(() => log('D2 from a tick')));
});
