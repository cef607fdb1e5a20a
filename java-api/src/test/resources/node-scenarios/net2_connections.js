// server.getConnections (asynchronous), maxConnections and 'drop', 'localhost' through dns.lookup.
const net = require('net');
const serverLog = [];
const aLog = [];
const bLog = [];
const server = net.createServer(() => serverLog.push('connection'));
server.maxConnections = 1;
server.on('drop', (d) => {
  serverLog.push('drop ' + Object.keys(d).join(',') + ' ' + d.localAddress + ' ' + d.localFamily + ' '
    + d.remoteAddress + ' ' + d.remoteFamily + ' ' + (d.localPort === port) + ' ' + (d.remotePort > 0));
});
let port;
server.listen(0, 'localhost', () => {
  port = server.address().port;
  console.log('listening on ' + server.address().address + ' ' + server.address().family + ' max ' + server.maxConnections);
  let sync = true;
  server.getConnections((err, n) => console.log('getConnections ' + err + ' ' + n + ' sync=' + sync));
  sync = false;
  const a = net.connect(port, 'localhost');
  a.on('lookup', (err, address, family, host) => aLog.push('lookup ' + err + ' ' + address + ' ' + family + ' ' + host));
  a.on('connect', () => {
    aLog.push('connect ' + a.remoteAddress + ' ' + a.remoteFamily);
    const b = net.connect({ port, host: 'localhost' });
    b.on('lookup', (err, address, family, host) => bLog.push('lookup ' + err + ' ' + address + ' ' + family + ' ' + host));
    b.on('connect', () => bLog.push('connect'));
    b.on('end', () => bLog.push('end'));
    b.on('error', (e) => bLog.push('error ' + e.code));
    b.resume();
    b.on('close', (hadError) => {
      bLog.push('close ' + hadError);
      server.getConnections((err, n) => {
        console.log('getConnections ' + err + ' ' + n);
        a.destroy();
        server.close(() => server.getConnections((err2, n2) => {
          console.log('getConnections after close ' + err2 + ' ' + n2);
          for (const l of serverLog) console.log('server: ' + l);
          for (const l of aLog) console.log('a: ' + l);
          for (const l of bLog) console.log('b: ' + l);
        }));
      });
    });
  });
});
