// Host names go through dns.lookup: 'lookup' events, lookup errors, listen on names, literals not looked up.
const net = require('net');
const server = net.createServer((c) => c.end());
server.listen(0, 'localhost', () => {
  const port = server.address().port;
  console.log('listening ' + server.address().address + ' ' + server.address().family);
  const lit = net.connect(port, '127.0.0.1');
  lit.on('lookup', () => console.log('literal: lookup (unexpected)'));
  lit.on('connect', () => console.log('literal: connect ' + lit.remoteFamily));
  lit.resume();
  lit.on('close', () => {
    console.log('literal: close');
    const c = net.connect({ port, host: 'localhost' }, () => console.log('localhost: connect listener ' + c.remoteAddress));
    console.log('localhost: connecting ' + c.connecting + ' ' + c.readyState);
    c.on('lookup', (err, address, family, host) => console.log('localhost: lookup ' + err + ' ' + address + ' ' + family + ' ' + host + ' connecting=' + c.connecting));
    c.on('connect', () => console.log('localhost: connect'));
    c.resume();
    c.on('close', () => {
      console.log('localhost: close');
      const bad = net.connect(port, 'no-such-host.invalid');
      bad.on('lookup', (err, address, family, host) => console.log('bad: lookup ' + err.code + ' ' + err.syscall + ' ' + err.hostname + ' ' + address + ' ' + family + ' ' + host));
      bad.on('error', (e) => console.log('bad: error ' + e.code + ' ' + e.message));
      bad.on('close', (hadError) => {
        console.log('bad: close ' + hadError + ' ' + bad.readyState + ' ' + bad.pending);
        const s2 = net.createServer();
        s2.on('error', (e) => {
          console.log('listen error ' + e.code + ' ' + e.syscall + ' ' + e.hostname + ' ' + e.message + ' listening=' + s2.listening);
          server.close(() => console.log('server closed'));
        });
        s2.listen(0, 'no-such-host.invalid');
      });
    });
  });
});
