// NodeChildProcessTest: a Node parent talks to a Java child (ForkChildMain) over Node's own IPC
// channel (stdio 'ipc' on fd 3, NODE_CHANNEL_FD), proving the wire format is Node's.
const { spawn } = require('child_process');
const [java, cp] = process.argv.slice(2);
const child = spawn(java, ['--enable-native-access=ALL-UNNAMED', '-cp', cp, 'io.uv4j.node.ForkChildMain', 'child', 'from-node'],
  { stdio: ['inherit', 'inherit', 'inherit', 'ipc'] });
child.on('message', (m) => {
  console.log('node got ' + JSON.stringify(m));
  if (m.cmd === 'ready') child.send({ cmd: 'ping', n: 1, payload: ['\u00e9', { a: null }, 2.5] });
  else if (m.cmd === 'pong') child.send({ cmd: 'bye' });
});
child.on('disconnect', () => console.log('disconnect'));
child.on('exit', (code, signal) => console.log('exit ' + code + ' ' + signal));
