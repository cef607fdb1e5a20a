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
  // The server answers after 50 ms; the client's 300 ms idle timeout, armed at connect, is pushed
  // back by that data: it fires 300 ms after the data, not 250 (only a 250 ms stall of the loop
  // could put the timeout before the data).
  const server = net.createServer((s) => {
    setTimeout(() => s.write('keepalive'), 50);
    s.on('end', () => s.end());
  });
  server.listen(0, '127.0.0.1', () => {
    const client = net.connect(server.address().port, '127.0.0.1');
    let dataAt = -1;
    client.setTimeout(300);
    client.on('data', (d) => {
      dataAt = Date.now();
      log('data ' + d);
    });
    client.on('timeout', () => {
      log('timeout after the data (' + (dataAt >= 0 && Date.now() - dataAt >= 299 ? 'late enough' : 'too early') + ')');
      client.end();
    });
    client.on('close', () => {
      log('client close');
      server.close();
    });
  });
}
