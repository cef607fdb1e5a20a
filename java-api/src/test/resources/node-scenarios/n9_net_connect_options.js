// net.connect options (family, hints, localAddress, localPort, timeout, noDelay, keepAlive),
// the autoSelectFamily defaults, server options (pauseOnConnect, noDelay, keepAlive) and
// Node's coded errors for bad values.
const net = require('net');
function t(name, f) {
  try { f(); console.log(name, 'ok'); } catch (e) { console.log(name, e.code, e.message); }
}
t('localAddress abc', () => net.connect({ port: 1, host: '127.0.0.1', localAddress: 'abc' }));
t('family 5', () => net.connect({ port: 1, host: 'localhost', family: 5 }));
t('hints 12345', () => net.connect({ port: 1, host: 'localhost', hints: 12345 }));
t('timeout -1', () => net.connect({ port: 1, host: '127.0.0.1', timeout: -1 }));
t('attempt timeout 0', () => net.setDefaultAutoSelectFamilyAttemptTimeout(0));
console.log('defaults', net.getDefaultAutoSelectFamily(), net.getDefaultAutoSelectFamilyAttemptTimeout());
net.setDefaultAutoSelectFamily(false);
net.setDefaultAutoSelectFamilyAttemptTimeout(5);
console.log('defaults now', net.getDefaultAutoSelectFamily(), net.getDefaultAutoSelectFamilyAttemptTimeout());
net.setDefaultAutoSelectFamily(true);
net.setDefaultAutoSelectFamilyAttemptTimeout(250);

const server = net.createServer({ pauseOnConnect: true, noDelay: true, keepAlive: true, keepAliveInitialDelay: 500 });
server.on('connection', (s) => {
  // printed at 'end' (after the client's 'connect' line, whatever the order of accept and connect)
  const lines = ['server: paused ' + s.isPaused() + ' flowing ' + s.readableFlowing];
  const chunks = [];
  s.on('data', (d) => chunks.push(d));
  lines.push('server: after data listener, flowing ' + s.readableFlowing);
  s.on('end', () => {
    lines.forEach((l) => console.log(l));
    console.log('server: got', Buffer.concat(chunks).toString());
    s.end();
  });
  s.resume();
});
server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  const c = net.connect({ port, host: 'localhost', family: 4, localAddress: '127.0.0.1', timeout: 60000,
    noDelay: true, keepAlive: true, keepAliveInitialDelay: 999 });
  c.on('lookup', (err, address, family) => console.log('client: lookup', err, address, family));
  c.on('connect', () => {
    console.log('client: connected from', c.localAddress, c.localFamily, 'attempted', c.autoSelectFamilyAttemptedAddresses);
    c.end('hello');
  });
  c.on('close', () => {
    console.log('client: close');
    const bad = net.connect({ port, host: '127.0.0.1', localAddress: '::1' });
    bad.on('error', (e) => {
      console.log('bad local family:', e.code, e.syscall, e.message);
      const inUse = net.connect({ port, host: '127.0.0.1', localAddress: '127.0.0.1', localPort: port });
      inUse.on('error', (e2) => {
        console.log('local port in use:', e2.code, e2.syscall, e2.message.replace(String(port), 'PORT'));
        server.close(() => console.log('server closed'));
      });
    });
  });
});
