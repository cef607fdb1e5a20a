// Messages posted to a worker before it listens wait for its listener; the worker echoes each
// and closes parentPort on 'bye': its 'close' fires in the worker, the worker has nothing left
// and exits 0 after the echoes reached the parent. (Ticks between the echoes are racy in Node:
// when the exit is seen first, the Worker drains its port synchronously before 'exit'.)
const { Worker } = require('worker_threads');
const log = (s) => console.log(s);
const w = new Worker(`
  const { parentPort } = require('worker_threads');
  setTimeout(() => {
    parentPort.on('close', () => parentPort.postMessage('never: closed'));
    parentPort.on('message', (m) => {
      parentPort.postMessage('echo ' + m);
      if (m === 'bye') parentPort.close();
    });
  }, 20);
`, { eval: true });
w.postMessage('a');
w.postMessage('b');
w.postMessage('bye');
w.on('message', (m) => log('parent got ' + m));
w.on('exit', (code) => log('exit ' + code));
log('main');
