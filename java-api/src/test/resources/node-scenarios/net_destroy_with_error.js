// socket.destroy(err): 'error' then 'close' (hadError true) on later ticks, after the code
// that called destroy; a write callback after destroy gets ERR_STREAM_DESTROYED.
const net = require('net');
const log = (s) => console.log(s);
const server = net.createServer((s) => {
  s.on('close', () => {
    log('server socket close');
    server.close(() => log('server closed'));
  });
  s.on('error', () => {});
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1', () => {
    c.destroy(new Error('boom'));
    log('destroyed, destroyed=' + c.destroyed);
    c.write('late', (err) => log('write cb ' + (err && err.code)));
    process.nextTick(() => log('tick after destroy'));
  });
  c.on('error', (e) => log('client error ' + e.message));
  c.on('close', (hadError) => log('client close ' + hadError));
});
