// child_process.fork: a child with an IPC channel; send/'message' both ways with JSON values
// (newline-delimited JSON), the send callback, disconnect from the child, 'disconnect', 'exit'
// and 'close' in the parent. The child is this file again with the argument 'child' (the Java
// twin forks a Java main class instead).
const { fork } = require('child_process');
const log = (s) => console.log(s);

if (process.argv[2] === 'child') {
  process.on('message', (m) => {
    if (m.cmd === 'ping') {
      process.send({ cmd: 'pong', n: m.n + 1, echo: m.payload });
    } else if (m.cmd === 'bye') {
      process.send('bye from child', () => process.disconnect());
    }
  });
  process.send({ cmd: 'ready', args: process.argv.slice(3), connected: process.connected });
} else {
  const child = fork(__filename, ['child', 'x', 'y']);
  let disconnected = false;
  let exited = false;
  log('connected ' + child.connected);
  child.on('spawn', () => log('spawn'));
  child.on('message', (m) => {
    log('parent got ' + JSON.stringify(m));
    if (m.cmd === 'ready') {
      const payload = { list: [1, 2.5, -3, 'two', null, true, false, { nested: [] }], s: 'q"\\\n\u00e9\u2603', empty: {} };
      const ok = child.send({ cmd: 'ping', n: 41, payload }, (err) => log('send callback ' + err));
      log('send returned ' + ok);
    } else if (m.cmd === 'pong') {
      child.send({ cmd: 'bye' });
    }
  });
  child.on('disconnect', () => {
    disconnected = true;
    log('disconnect connected=' + child.connected);
  });
  child.on('exit', (code, signal) => { exited = true; });
  child.on('close', (code, signal) => {
    log('close ' + code + ' ' + signal + ' disconnected=' + disconnected + ' exited=' + exited);
    child.send('late', (err) => log('send after close: ' + err.code + ' ' + err.message));
  });
}
