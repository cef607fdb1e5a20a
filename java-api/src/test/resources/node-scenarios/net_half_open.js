// net.createServer({ allowHalfOpen: true }): the server sees 'end', still writes its reply,
// and the client (which ended its side first) reads it.
const net = require('net');
const server = net.createServer({ allowHalfOpen: true }, (socket) => {
  let got = '';
  socket.setEncoding('utf8');
  socket.on('data', (d) => { got += d; });
  socket.on('end', () => {
    console.log('server end, got ' + got);
    socket.end('reply to ' + got);
  });
  socket.on('finish', () => console.log('server finish'));
  socket.on('close', () => {
    console.log('server socket close');
    server.close(() => console.log('server closed'));
  });
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1', () => {
    c.end('hello');
  });
  let reply = '';
  c.setEncoding('utf8');
  c.on('data', (d) => { reply += d; });
  c.on('end', () => console.log('client end, reply: ' + reply));
  c.on('close', () => console.log('client close'));
});
