// localPort with happy eyeballs (each attempt binds the family's any-address and the port
// first; the failed attempt's error names the local side) and without (ECONNREFUSED with
// "- Local (address:port)").
const net = require('net');
const free = net.createServer().listen(0, '127.0.0.1', () => {
  const localPort = free.address().port;
  free.close(() => {
    const server = net.createServer((s) => s.end());
    server.listen(0, '127.0.0.1', () => {
      const port = server.address().port;
      const clean = (m) => m.split(String(localPort)).join('LPORT').split(String(port)).join('PORT');
      const lookup = (host, opts, cb) => cb(null, [{ address: '::1', family: 6 }, { address: '127.0.0.1', family: 4 }]);
      const c = net.connect({ port, host: 'both.example', lookup, localPort });
      c.on('connectionAttempt', (a, p, f) => console.log('attempt', a, f));
      c.on('connectionAttemptFailed', (a, p, f, e) => console.log('failed', a, e.code, clean(e.message)));
      c.on('connect', () => {
        console.log('connected, local port is localPort:', c.localPort === localPort, c.localAddress);
        c.on('close', () => {
          server.close(() => {
            const refused = net.connect({ port, host: '127.0.0.1', localPort });
            refused.on('error', (e) => console.log('refused:', e.code, clean(e.message)));
          });
        });
        c.resume();
      });
    });
  });
});
