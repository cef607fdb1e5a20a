// After a natural exit's 'exit' listeners: their microtasks run, a throwing one goes to
// 'uncaughtException', and a rejection left unhandled reaches 'unhandledRejection' (whose own
// microtasks run too); ticks and immediates queued then never run.
const log = (s) => console.log(s);
process.on('uncaughtException', (e, origin) => log('uncaughtException ' + e.message + ' ' + origin));
process.on('unhandledRejection', (r) => {
  log('unhandledRejection ' + r.message);
  queueMicrotask(() => log('micro from unhandledRejection'));
  process.nextTick(() => log('tick from unhandledRejection (never)'));
});
process.on('exit', (code) => {
  log('exit ' + code);
  Promise.reject(new Error('rejected in exit'));
  Promise.resolve().then(() => {
    log('promise 1');
    queueMicrotask(() => log('micro from promise 1'));
    process.nextTick(() => log('tick from promise 1 (never)'));
  });
  queueMicrotask(() => {
    throw new Error('thrown in a microtask');
  });
  queueMicrotask(() => log('micro after the throw'));
  setImmediate(() => log('immediate (never)'));
});
process.on('exit', () => log('exit listener 2'));
log('main');
