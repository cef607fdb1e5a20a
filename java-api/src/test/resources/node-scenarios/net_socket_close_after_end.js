// Port of test-net-socket-close-after-end.js: a socket whose data is read late (100 ms after
// 'readable') still emits 'end' before 'close'.
const net = require('net');
const server = net.createServer();
server.on('connection', (socket) => {
  let endEmitted = false;
  socket.once('readable', () => {
    console.log('readable');
    setTimeout(() => {
      console.log('read ' + socket.read());
    }, 100);
  });
  socket.on('end', () => {
    console.log('end');
    endEmitted = true;
  });
  socket.on('close', () => {
    console.log('close, endEmitted ' + endEmitted);
    server.close();
  });
  socket.end('foo');
});
server.listen(0, '127.0.0.1', () => {
  const socket = net.createConnection(server.address().port, '127.0.0.1', () => {
    socket.end('foo');
  });
});
