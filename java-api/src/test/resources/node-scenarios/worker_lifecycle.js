// worker_threads: workerData round trip; terminate() resolves with exit code 1 after 'exit';
// process.exit(5) in a worker is exit code 5 (messages posted before it arrive first); an
// error thrown by the worker's message listener: 'error' then 'exit' 1. (Whether messages
// posted just before a throw arrive before 'error' is racy in Node: the worker waits here.)
const { Worker } = require('worker_threads');
const log = (s) => console.log(s);
function data(next) {
  const w = new Worker(`
    const { parentPort, workerData } = require('worker_threads');
    parentPort.postMessage('got ' + JSON.stringify(workerData));
  `, { eval: true, workerData: { n: 1, s: 'x' } });
  w.on('message', (m) => log('message ' + m));
  w.on('exit', (code) => {
    log('exit ' + code);
    next();
  });
}
function terminate(next) {
  const w = new Worker(`
    const { parentPort } = require('worker_threads');
    parentPort.postMessage('started');
    setInterval(() => {}, 1000);
  `, { eval: true });
  w.on('message', (m) => {
    log('message ' + m);
    const p = w.terminate();
    p.then((code) => {
      log('terminate resolved ' + code);
      w.terminate().then((c2) => {
        log('terminate again resolved ' + c2);
        next();
      });
    });
  });
  w.on('exit', (code) => log('exit ' + code));
}
function exits(next) {
  const w = new Worker(`
    const { parentPort } = require('worker_threads');
    parentPort.postMessage('a');
    parentPort.postMessage('b');
    process.exit(5);
  `, { eval: true });
  w.on('message', (m) => log('message ' + m));
  w.on('error', (e) => log('error (never) ' + e));
  w.on('exit', (code) => {
    log('exit ' + code);
    next();
  });
}
function throws(next) {
  const w = new Worker(`
    const { parentPort } = require('worker_threads');
    parentPort.postMessage('a');
    parentPort.postMessage('b');
    parentPort.on('message', () => { throw new Error('worker failed'); });
  `, { eval: true });
  w.on('message', (m) => {
    log('message ' + m);
    if (m === 'b') w.postMessage('go');
  });
  w.on('error', (e) => log('error ' + e.message));
  w.on('exit', (code) => {
    log('exit ' + code);
    next();
  });
}
data(() => terminate(() => exits(() => throws(() => log('done')))));
