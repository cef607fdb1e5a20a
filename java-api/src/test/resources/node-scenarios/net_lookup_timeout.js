// net.connect to a host name that does not resolve: 'lookup' (with the error), then 'error':
// getaddrinfo ENOTFOUND (code, syscall, hostname), then 'close' true. Then a socket idle
// timeout re-armed by activity: data before the timeout pushes it back; 'timeout' fires once.
const net = require('net');
const log = (s) => console.log(s);
const c = net.connect(80, 'no-such-host.invalid');
c.on('lookup', (err, address) => log('lookup event err=' + (err && err.code) + ' address=' + address));
c.on('error', (e) => log('error ' + e.code + ' syscall=' + e.syscall + ' hostname=' + e.hostname + ' | ' + e.message));
c.on('close', (hadError) => {
  log('close ' + hadError);
  part2();
});
log('connecting ' + c.connecting);
function part2() {
  const server = net.createServer((s) => {
    setTimeout(() => s.write('keepalive'), 40);
    s.on('end', () => s.end());
  });
  server.listen(0, '127.0.0.1', () => {
    const client = net.connect(server.address().port, '127.0.0.1');
    const start = Date.now();
    client.setTimeout(80);
    client.on('data', (d) => log('data ' + d));
    client.on('timeout', () => {
      log('timeout after the data (' + (Date.now() - start >= 110 ? 'late enough' : 'too early') + ')');
      client.end();
    });
    client.on('close', () => {
      log('client close');
      server.close();
    });
  });
}
