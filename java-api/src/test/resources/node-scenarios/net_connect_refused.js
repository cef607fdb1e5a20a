// connecting to a closed port: the error's code, errno, syscall, address, port and message
// (port printed as P), 'error' before 'close' with hadError true, connecting/destroyed flags,
// a write before the failure gets ERR_SOCKET_CLOSED_BEFORE_CONNECTION in its callback; then a
// client destroy()ed at once: its 'close' is false, the server socket sees 'end' then 'close' false.
const net = require('net');
const log = (s) => console.log(s);
const probe = net.createServer();
probe.listen(0, '127.0.0.1', () => {
  const port = probe.address().port;
  probe.close(() => {
    const c = net.connect(port, '127.0.0.1');
    c.write('early', (err) => log('write cb ' + (err && err.code)));
    c.on('error', (e) => {
      log('error ' + e.code + ' errno=' + e.errno + ' syscall=' + e.syscall + ' address=' + e.address
          + ' port=' + (e.port === port ? 'P' : e.port) + ' | ' + e.message.replace(String(port), 'P'));
      log('in error: destroyed ' + c.destroyed + ' connecting ' + c.connecting);
    });
    c.on('close', (hadError) => {
      log('close hadError ' + hadError);
      nextPart();
    });
    c.on('end', () => log('end (never)'));
    log('connecting ' + c.connecting);
  });
});
function nextPart() {
  const server = net.createServer((s) => {
    s.on('end', () => log('server socket end'));
    s.on('error', (e) => log('server socket error ' + e.code));
    s.on('close', (hadError) => {
      log('server socket close ' + hadError);
      server.close();
    });
  });
  server.listen(0, '127.0.0.1', () => {
    const c = net.connect(server.address().port, '127.0.0.1', () => {
      c.destroy();
      log('client destroyed ' + c.destroyed);
    });
    c.on('close', (hadError) => log('client close ' + hadError));
  });
}
