// Port of test-net-server-close.js: server.close() with two live connections that are then
// destroyed: one server 'close' and two socket 'close' events, no connection left.
const net = require('net');
const events = [];
const sockets = [];
process.on('exit', function() {
  console.log('events ' + events.length);
  console.log('server events ' + events.filter((e) => e === 'server').length);
  console.log('client events ' + events.filter((e) => e === 'client').length);
});
const server = net.createServer(function(c) {
  c.on('close', function() {
    events.push('client');
  });
  sockets.push(c);
  if (sockets.length === 2) {
    server.close();
    sockets.forEach(function(c) { c.destroy(); });
  }
});
server.on('close', function() {
  events.push('server');
});
server.listen(0, '127.0.0.1', function() {
  net.createConnection(server.address().port, '127.0.0.1').on('error', () => {});
  net.createConnection(server.address().port, '127.0.0.1').on('error', () => {});
});
