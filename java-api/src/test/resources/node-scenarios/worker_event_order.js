// A worker's events on the parent: 'online', its messages in order (each with the parent's
// ticks after it), then 'exit' with its code; a worker that throws: 'error' then 'exit' 1.
const { Worker } = require('worker_threads');
const log = (s) => console.log(s);
const w = new Worker(`
  const { parentPort } = require('worker_threads');
  parentPort.postMessage('m1');
  parentPort.postMessage('m2');
`, { eval: true });
w.on('online', () => log('online'));
w.on('message', (m) => {
  log('message ' + m);
  process.nextTick(() => log('tick after ' + m));
});
w.on('exit', (code) => {
  log('exit ' + code);
  const bad = new Worker(`throw new Error('worker boom');`, { eval: true });
  bad.on('error', (e) => log('error ' + e.message));
  bad.on('exit', (c) => log('bad exit ' + c));
});
log('main');
