// The Node.js echo server of the TCP comparison: net, one event loop, TCP_NODELAY on, each
// chunk written back as it arrives.  node bench/node/echo.js PORT
'use strict';
const net = require('net');

const port = Number(process.argv[2]);
const server = net.createServer((socket) => {
  socket.setNoDelay(true);
  socket.on('data', (chunk) => socket.write(chunk));
  socket.on('error', () => socket.destroy()); // reset by the peer: drop the connection
});
server.listen({ host: '127.0.0.1', port, backlog: 1024 }, () => {
  console.log(`listening port=${port} impl=node node=${process.version} libuv=${process.versions.uv}`);
});
