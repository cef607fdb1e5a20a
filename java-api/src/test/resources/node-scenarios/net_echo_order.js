// net echo: each side's events in order ('connect' callback before the 'connect' listeners,
// 'ready', 'data', the write callback, 'finish' after end(), 'end' when the peer ends, then
// 'close' from the handle's close callback). Each side logs into its own list, printed once
// both are done, so the output does not depend on how the two sides interleave.
const net = require('net');
const log = (s) => console.log(s);
const server = [];
const client = [];
let done = 0;
const finish = () => {
  if (++done === 2) {
    server.forEach((s) => log('server: ' + s));
    client.forEach((s) => log('client: ' + s));
  }
};
const srv = net.createServer((sock) => {
  server.push('connection');
  process.nextTick(() => server.push('tick after connection'));
  sock.on('data', (d) => {
    server.push('data ' + d);
    sock.write(d.toString().toUpperCase());
  });
  sock.on('end', () => server.push('end'));
  sock.on('finish', () => server.push('finish'));
  sock.on('close', (hadError) => {
    server.push('close hadError=' + hadError);
    srv.close(() => {
      server.push('server closed');
      finish();
    });
  });
});
srv.on('listening', () => log('listening event'));
srv.listen(0, '127.0.0.1', () => {
  log('listen callback');
  const c = net.connect(srv.address().port, '127.0.0.1', () => client.push('connect callback'));
  c.on('connect', () => {
    client.push('connect event');
    c.write('hello', (e) => client.push('write cb ' + e));
  });
  c.on('ready', () => client.push('ready'));
  c.on('data', (d) => {
    client.push('data ' + d);
    c.end();
  });
  c.on('end', () => client.push('end'));
  c.on('finish', () => client.push('finish'));
  c.on('close', (hadError) => {
    client.push('close hadError=' + hadError);
    finish();
  });
  client.push('connecting ' + c.connecting);
});
log('main done');
