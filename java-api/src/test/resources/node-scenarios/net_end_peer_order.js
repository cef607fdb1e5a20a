// client.end() with the default allowHalfOpen=false: the server socket sees 'end' then ends its
// side too ('finish'), the client gets 'end' and 'finish'; both 'close' with hadError=false.
const net = require('net');
const log = (s) => console.log(s);
const server = net.createServer((s) => {
  s.setEncoding('utf8');
  s.on('data', (d) => log('server data ' + d));
  s.on('end', () => {
    log('server end');
    process.nextTick(() => log('tick after server end'));
  });
  s.on('finish', () => log('server finish'));
  s.on('close', (hadError) => {
    log('server socket close ' + hadError);
    server.close(() => log('server closed'));
  });
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1');
  c.on('connect', () => {
    log('client connect');
    c.end('bye', () => log('client end cb'));
  });
  c.on('ready', () => log('client ready'));
  c.on('finish', () => log('client finish'));
  c.on('end', () => log('client end'));
  c.on('close', (hadError) => log('client close ' + hadError));
});
