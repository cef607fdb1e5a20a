// server.close() with a connection open: 'close' (and the close callback) wait until that
// connection is gone; new connections are refused meanwhile.
const net = require('net');
const log = (s) => console.log(s);
const server = net.createServer((s) => {
  log('server got connection');
  server.close(() => log('server close callback'));
  log('server.listening after close() ' + server.listening);
  s.on('end', () => log('server socket end'));
  s.on('close', () => log('server socket close'));
  s.end('bye');
});
server.on('close', () => log('server close event'));
server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  const c = net.connect(port, '127.0.0.1');
  c.setEncoding('utf8');
  c.on('data', (d) => log('client data ' + d));
  c.on('end', () => {
    log('client end');
    const again = net.connect(port, '127.0.0.1');
    again.on('error', (e) => log('second connect ' + e.code));
  });
  c.on('close', () => log('client close'));
});
