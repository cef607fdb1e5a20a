// A worker's events on the parent: 'online', its messages in order (each with the parent's
// ticks after it), then 'exit' with its code; a worker that throws: 'error' then 'exit' 1.
// (The worker posts when the parent answers 'online' and ends when the parent acknowledges m2:
// 'online' travels on another port than the messages, and messages still queued when the exit
// is seen are drained without ticks between them, so under load Node's order varied.)
const { Worker } = require('worker_threads');
const log = (s) => console.log(s);
const w = new Worker(`
  const { parentPort } = require('worker_threads');
  parentPort.on('message', (m) => {
    if (m === 'go') {
      parentPort.postMessage('m1');
      parentPort.postMessage('m2');
    } else {
      parentPort.close();
    }
  });
`, { eval: true });
w.on('online', () => {
  log('online');
  w.postMessage('go');
});
w.on('message', (m) => {
  log('message ' + m);
  process.nextTick(() => log('tick after ' + m));
  if (m === 'm2') w.postMessage('done');
});
w.on('exit', (code) => {
  log('exit ' + code);
  const bad = new Worker(`throw new Error('worker boom');`, { eval: true });
  bad.on('error', (e) => log('error ' + e.message));
  bad.on('exit', (c) => log('bad exit ' + c));
});
log('main');
