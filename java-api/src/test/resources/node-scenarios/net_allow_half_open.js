// Port of test-net-allow-half-open.js: a client without allowHalfOpen gets 'end', then 'finish'
// (its own automatic end), then 'close'; it is not destroyed before its shutdown.
const net = require('net');
const server = net.createServer((socket) => {
  socket.end(Buffer.alloc(1024));
}).listen(0, '127.0.0.1', () => {
  const socket = net.connect(server.address().port, '127.0.0.1');
  console.log('allowHalfOpen ' + socket.allowHalfOpen);
  let bytes = 0;
  socket.on('data', (d) => { bytes += d.length; });
  socket.on('end', () => {
    console.log('end after ' + bytes + ' bytes');
    process.nextTick(() => {
      console.log('tick after end: destroyed ' + socket.destroyed);
      server.close();
    });
  });
  socket.on('finish', () => console.log('finish: destroyed ' + socket.destroyed));
  socket.on('close', () => console.log('close'));
});
