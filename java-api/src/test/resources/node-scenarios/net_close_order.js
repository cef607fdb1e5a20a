// Close callbacks run last-closed-first (libuv's closing list): sockets destroyed in the order
// a, b report 'close' b, then a; each 'close' is its own callback, with its ticks after it.
const net = require('net');
const log = (s) => console.log(s);
const accepted = [];
let a;
let b;
const server = net.createServer((sock) => {
  accepted.push(sock);
  if (accepted.length === 2) {
    server.close(() => log('server close'));
    log('both accepted');
    a.destroy();
    b.destroy();
    log('destroyed a, then b');
    process.nextTick(() => log('tick after destroy'));
  }
});
server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  a = net.connect(port, '127.0.0.1');
  b = net.connect(port, '127.0.0.1');
  a.on('close', (hadError) => {
    log('a close hadError=' + hadError);
    process.nextTick(() => log('tick after a close'));
  });
  b.on('close', (hadError) => {
    log('b close hadError=' + hadError);
    process.nextTick(() => log('tick after b close'));
  });
});
