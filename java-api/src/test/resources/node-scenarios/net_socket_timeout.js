// socket.setTimeout(ms, cb) on an idle client connected by host name: 'timeout' comes after the
// connection, the socket is still open; setTimeout(0) disarms it; the listener ends the socket.
const net = require('net');
const server = net.createServer((sock) => {
  sock.on('end', () => {
    console.log('server: end');
    sock.end();
  });
});
server.listen(0, '127.0.0.1', () => {
  const client = net.connect(server.address().port, 'localhost');
  client.setTimeout(30, () => {
    console.log('client: timeout, destroyed ' + client.destroyed);
    client.setTimeout(0);
    client.end();
  });
  client.on('connect', () => console.log('client: connect'));
  client.on('end', () => console.log('client: end'));
  client.on('close', () => {
    console.log('client: close');
    server.close(() => console.log('server closed'));
  });
});
