// net server: 'listening' listeners added before listen() run before the listen callback, ones
// added after run after it; address() shape; listening flag; server.getConnections and
// per-side event order (collected per side: the two sides' interleaving is up to the kernel);
// bytesRead/bytesWritten; 'close' hadError false; server 'close' after close() and the last socket.
const net = require('net');
const srvLog = [];
const cliLog = [];
const server = net.createServer();
server.on('listening', () => console.log('listening listener (before listen)'));
server.on('connection', (s) => {
  srvLog.push('connection');
  server.getConnections((err, n) => srvLog.push('getConnections ' + err + ' ' + n));
  s.on('data', (d) => {
    srvLog.push('data ' + d);
    s.end('pong!');
  });
  s.on('end', () => srvLog.push('end'));
  s.on('finish', () => srvLog.push('finish'));
  s.on('close', (hadError) => {
    srvLog.push('close ' + hadError + ' read ' + s.bytesRead + ' written ' + s.bytesWritten);
    server.close(() => {
      console.log('server: ' + srvLog.join(', '));
      console.log('client: ' + cliLog.join(', '));
      console.log('server closed, listening ' + server.listening);
    });
  });
});
server.listen(0, '127.0.0.1', () => {
  const a = server.address();
  console.log('listen callback: ' + Object.keys(a).join(',') + ' ' + a.address + ' ' + a.family
      + ' port>0 ' + (a.port > 0) + ' listening ' + server.listening);
  const c = net.connect(a.port, '127.0.0.1');
  cliLog.push('connecting ' + c.connecting);
  c.on('connect', () => cliLog.push('connect, connecting ' + c.connecting + ' remote ' + c.remoteAddress));
  c.on('ready', () => cliLog.push('ready'));
  c.write('ping', () => cliLog.push('write cb'));
  c.on('data', (d) => cliLog.push('data ' + d));
  c.on('end', () => cliLog.push('end'));
  c.on('close', (hadError) => cliLog.push('close ' + hadError + ' read ' + c.bytesRead + ' written ' + c.bytesWritten));
});
server.on('listening', () => console.log('listening listener (after listen)'));
console.log('listening right after listen() ' + server.listening);
