// listen() on a port in use: 'error' EADDRINUSE on a later tick, no listening callback; a
// refused connection: 'error' ECONNREFUSED then 'close' with hadError true.
const net = require('net');
const log = (s) => console.log(s);
const a = net.createServer();
a.listen(0, '127.0.0.1', () => {
  const port = a.address().port;
  const b = net.createServer();
  b.on('error', (e) => {
    log('b error ' + e.code + ' ' + e.syscall + ' listening ' + b.listening);
    a.close(() => {
      log('a closed');
      const c = net.connect(port, '127.0.0.1', () => log('connected (never)'));
      c.on('error', (err) => log('c error ' + err.code + ' ' + err.syscall));
      c.on('close', (hadError) => log('c close ' + hadError));
      process.nextTick(() => log('tick after connect, connecting ' + c.connecting));
    });
  });
  b.listen(port, '127.0.0.1', () => log('b listening (never)'));
  process.nextTick(() => log('tick after b.listen'));
  log('b.listen returned');
});
