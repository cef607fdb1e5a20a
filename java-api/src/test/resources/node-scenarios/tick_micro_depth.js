// nextTick queued from a microtask and microtasks queued from a tick, nested three deep: each
// tick drain empties the whole tick queue, then the whole microtask queue, and repeats.
const log = (s) => console.log(s);
process.nextTick(() => {
  log('tick A');
  queueMicrotask(() => {
    log('micro A1');
    process.nextTick(() => {
      log('tick A1a');
      Promise.resolve().then(() => {
        log('promise A1a');
        process.nextTick(() => log('tick A1a-i'));
        queueMicrotask(() => log('micro A1a-ii'));
      });
    });
    queueMicrotask(() => log('micro A2'));
  });
  process.nextTick(() => log('tick B (queued by A)'));
});
Promise.resolve().then(() => {
  log('promise P');
  process.nextTick(() => {
    log('tick P1');
    process.nextTick(() => log('tick P1.1'));
    queueMicrotask(() => log('micro P1'));
  });
  queueMicrotask(() => log('micro P2'));
}).then(() => log('promise P then'));
queueMicrotask(() => log('micro M'));
process.nextTick(() => log('tick C'));
log('main');
