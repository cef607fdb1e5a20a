// The JavaScript original of ForkPingPong.java: `node fork-ping-pong.js [rounds]`.
const { fork } = require('child_process');

if (process.argv[2] === 'child') {
  const rounds = Number(process.argv[3]);
  process.on('message', (m) => {
    const n = m.n;
    process.send({ type: 'pong', n, pid: process.pid }, () => {
      if (n >= rounds) {
        process.disconnect();
      }
    });
  });
} else {
  const rounds = Number(process.argv[2] || 5);
  const child = fork(__filename, ['child', String(rounds)]);
  child.on('message', (m) => {
    console.log('parent got ' + JSON.stringify(m));
    if (m.n < rounds) {
      child.send({ type: 'ping', n: m.n + 1 });
    }
  });
  child.on('disconnect', () => console.log('parent: child disconnected'));
  child.on('exit', (code) => console.log('parent: child exited with ' + code));
  child.send({ type: 'ping', n: 1 });
}
